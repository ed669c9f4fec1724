import FolkbokSync
import Synchronization

/// What the event loops share to keep the server-wide limits: the open connections and the
/// bytes every unfinished request line holds (docs/PROTOCOL.md "Transport").
///
/// Guarantees: `admitConnection` admits at most `max` connections at once; the ledger's
/// total is the sum of the held bytes last reported for every connection still in it, and
/// `takeLongest` removes and answers the connection with the longest unfinished line.
final class SharedLimits: Sendable {
    private let open = Atomic<Int>(0)
    private let ledger: Locked<InputLedger>

    init(loops: Int) { ledger = Locked(InputLedger()) }

    /// Counts a new connection in, or answers false (and counts nothing) when `max` are open.
    func admitConnection(max: Int) -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < max {
            let (exchanged, now) = open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = now
        }
        return false
    }

    func releaseConnection() { open.subtract(1, ordering: .relaxed) }

    /// Records that connection (`loop`, `token`) now holds `held` bytes of an unfinished line
    /// (0 removes it); answers the total over all connections.
    func report(loop: Int, token: UInt64, held: Int) -> Int {
        ledger.withLock { $0.set(LineOwner(loop: loop, token: token), held) }
    }

    /// While the total passes `max`: removes the connection holding the longest unfinished
    /// line from the ledger and answers it (nil when within the limit).
    func takeLongest(over max: Int) -> LineOwner? {
        ledger.withLock { l in l.total > max ? l.takeLongest() : nil }
    }
}

/// A connection as the ledger knows it: its loop and its token there.
struct LineOwner: Hashable, Sendable {
    let loop: Int
    let token: UInt64
}

/// Unfinished-line bytes per connection, and their total.
struct InputLedger {
    private var held: [LineOwner: Int] = [:]
    private(set) var total = 0

    mutating func set(_ owner: LineOwner, _ bytes: Int) -> Int {
        total += bytes - (held[owner] ?? 0)
        held[owner] = bytes > 0 ? bytes : nil
        return total
    }

    /// - Complexity: O(connections with an unfinished line).
    mutating func takeLongest() -> LineOwner? {
        guard let longest = held.max(by: { $0.value < $1.value }) else { return nil }
        total -= longest.value
        held[longest.key] = nil
        return longest.key
    }
}
