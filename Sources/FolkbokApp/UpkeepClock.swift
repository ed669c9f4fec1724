import Dispatch
import FolkbokProtocol
import Synchronization

/// Time as the server's upkeep work sees it: the wall clock it stamps and expires by, and the
/// pause between two rounds of upkeep. `RealUpkeepClock` is the machine's; tests inject one
/// they advance by hand, so nothing waits for real seconds.
public protocol UpkeepClock: Sendable {
    /// Microseconds since the epoch (UTC).
    var micros: @Sendable () -> Int64 { get }
    /// Blocks until `seconds` have passed on this clock or `stop` is signalled; answers true
    /// when the time passed, false when stopped.
    func sleep(seconds: Int, unless stop: UpkeepStop) -> Bool
}

/// The machine's clock: `CLOCK_REALTIME` and real sleeps.
public struct RealUpkeepClock: UpkeepClock {
    public init() {}

    public var micros: @Sendable () -> Int64 { RealUpkeepClock.realMicros }

    public func sleep(seconds: Int, unless stop: UpkeepStop) -> Bool {
        !stop.isSignalled && stop.semaphore.wait(timeout: .now() + .seconds(seconds)) == .timedOut
    }

    /// The same closure `ServiceConfig` uses by default.
    public static let realMicros: @Sendable () -> Int64 = ServiceConfig.realMicros
}

/// Tells one upkeep thread to end. Guarantees: once `signal` has been called, `isSignalled`
/// is true and every later or pending sleep on any clock answers false promptly.
public final class UpkeepStop: Sendable {
    let semaphore = DispatchSemaphore(value: 0)
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isSignalled: Bool { flag.load(ordering: .acquiring) }

    public func signal() {
        guard !flag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        semaphore.signal()
    }
}
