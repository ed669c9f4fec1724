import FolkbokApp
import Foundation

/// An upkeep clock tests move by hand: `advance` steps it one second at a time and returns once
/// every upkeep thread has done that second's round and sleeps again, so nothing waits for real time.
final class ManualClock: UpkeepClock, @unchecked Sendable {
    // @unchecked: every field is read and written under `condition`.
    private let condition = NSCondition()
    private var now: Int64
    private var sleepers: [Int: Int64] = [:]
    private var nextSleeper = 0

    init(startingAt micros: Int64) { now = micros }

    var micros: @Sendable () -> Int64 {
        { [self] in
            condition.lock()
            defer { condition.unlock() }
            return now
        }
    }

    func sleep(seconds: Int, unless stop: UpkeepStop) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let id = nextSleeper
        nextSleeper += 1
        let deadline = now + Int64(seconds) * 1_000_000
        sleepers[id] = deadline
        defer {
            sleepers[id] = nil
            condition.broadcast()
        }
        while now < deadline {
            if stop.isSignalled { return false }
            _ = condition.wait(until: Date().addingTimeInterval(0.005))
        }
        return !stop.isSignalled
    }

    /// Moves `seconds` forward; after each second waits until `threads` upkeep threads sleep
    /// toward a later deadline (each has done its round). False when that took over 10 s.
    @discardableResult
    func advance(seconds: Int, threads: Int = 2) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let limit = Date().addingTimeInterval(10)
        for _ in 0..<seconds {
            while sleepers.count < threads {
                guard condition.wait(until: limit) || Date() < limit else { return false }
            }
            now += 1_000_000
            condition.broadcast()
            while sleepers.count < threads || sleepers.values.contains(where: { $0 <= now }) {
                guard Date() < limit else { return false }
                _ = condition.wait(until: Date().addingTimeInterval(0.005))
            }
        }
        return true
    }
}
