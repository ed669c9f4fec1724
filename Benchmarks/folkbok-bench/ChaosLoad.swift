import FolkbokModel
import Foundation

/// One round of the crash loop's mixed load: five connections on their own threads (two
/// writers, two readers of two customers, one administrator), then `kill -9` of the server
/// after the round's time, then the threads joined.
///
/// Guarantees: `run` returns only after the server process is reaped and every load thread has
/// ended; its log holds exactly what the server acknowledged during the round (merged over
/// the connections) and what was in flight at the kill.
struct ChaosLoad {
    let socketPath: String
    /// Demo identities the readers pick from.
    let readIDs: [String]
    let imports: ChaosImports
    /// The admin customer (contact writes, reserve assignments, exports, one reader) and a second reader customer.
    static let adminCustomer = "SE2321000016-0001"
    static let otherCustomer = "SE2321000032-0003"

    func run(round: Int, chains: [String: UInt64], killAfter seconds: Double, server: ChaosServer, seed: UInt64)
        -> ChaosRoundLog
    {
        let results = Slots(count: 5)
        let group = DispatchGroup()
        let socket = socketPath, ids = readIDs, imports = self.imports
        let today = ChaosClock.utcDate(ChaosClock.wallMicros())
        let halves = Self.split(chains)
        func spawn(_ slot: Int, _ body: @escaping @Sendable (inout SplitMix64) -> ChaosRoundLog) {
            group.enter()
            let thread = Thread {
                var rng = SplitMix64(seed: SplitMix64.mix(seed &+ UInt64(round) &* 1_000_003 &+ UInt64(slot)))
                results.set(slot, body(&rng))
                group.leave()
            }
            thread.start()
        }
        for (slot, half) in halves.enumerated() {
            spawn(slot) { rng in
                let user = "w\(round)-\(slot)"
                guard let c = ChaosConnection.customer(socket, customer: Self.adminCustomer, user: user) else {
                    return Self.noConnection
                }
                return ChaosWorkers.writer(c, chains: half, today: today, rng: &rng)
            }
        }
        for (slot, customer) in [(2, Self.adminCustomer), (3, Self.otherCustomer)] {
            spawn(slot) { rng in
                let user = Self.readerUser(round: round, slot: slot)
                guard let c = ChaosConnection.customer(socket, customer: customer, user: user) else {
                    return Self.noConnection
                }
                return ChaosWorkers.reader(c, customer: customer, user: user, ids: ids, rng: &rng)
            }
        }
        spawn(4) { rng in
            guard let op = ChaosConnection.operator(socket) else { return Self.noConnection }
            let exporter = ChaosConnection.customer(socket, customer: Self.adminCustomer, user: "x\(round)")
            return ChaosWorkers.administrator(op, customer: exporter, imports: imports, rng: &rng)
        }
        usleep(UInt32(seconds * 1e6))
        server.kill()
        group.wait()
        var merged = ChaosRoundLog()
        for log in results.all { merged.merge(log) }
        return merged
    }

    /// The staff user of a reader connection: unique per round and connection.
    static func readerUser(round: Int, slot: Int) -> String { "r\(round)-\(slot)" }

    /// A connection (or its session) could not be opened: the server died first, or refused.
    static var noConnection: ChaosRoundLog {
        var log = ChaosRoundLog()
        log.refused("session.open", 0, "no session before the kill")
        return log
    }

    /// The persons split between the two writers, so each chain has one writer.
    private static func split(_ chains: [String: UInt64]) -> [[String: UInt64]] {
        var halves: [[String: UInt64]] = [[:], [:]]
        for (i, id) in chains.keys.sorted().enumerated() { halves[i % 2][id] = chains[id] }
        return halves
    }

    /// Results written by the load threads, each its own slot.
    private final class Slots: @unchecked Sendable {
        // @unchecked: every access holds `lock`.
        private let lock = NSLock()
        private var logs: [ChaosRoundLog]

        init(count: Int) { logs = Array(repeating: ChaosRoundLog(), count: count) }

        func set(_ slot: Int, _ log: ChaosRoundLog) { lock.withLock { logs[slot] = log } }
        var all: [ChaosRoundLog] { lock.withLock { logs } }
    }
}
