import FolkbokJSON
import Foundation

/// The checker's access-log and statistics checks.
///
/// - Reads: the round's two reader connections each had a staff user of their own, so their
///   `person.get` entries are told apart from every other entry. Per (user, person), the
///   entries found must be ≥ the answered reads (each one short is a loss) and ≤ the answered
///   reads plus one if that person's read was in flight at the kill (an answer can be lost
///   after its entry was written, never the other way round); more is an extra entry.
/// - The entries are found by reading every entry of the two load customers once, in seq
///   order with the cursor kept across restarts (`audit.query` by customer); for up to three
///   (user, person) pairs per round the same count is asked by person over the round's time
///   (`audit.query` by person) and must be equal.
/// - Statistics: per customer, the sum of `stats.get`'s lookups from the campaign's first day
///   to today equals the number of that customer's entries of `person.get`,
///   `person.getMany`, `person.search`, `extract.create` and `reserve.get` (every entry since
///   the empty start, the checker's own reads included). Nothing else runs while it is asked.
/// - `audit.verify` answers valid: over the round's time, and over everything every
///   `--progress` rounds and at the end.
extension ChaosChecker {
    static let lookupMethods: Set<String> = [
        "person.get", "person.getMany", "person.search", "extract.create", "reserve.get",
    ]
    static let scannedCustomers = [ChaosLoad.adminCustomer, ChaosLoad.otherCustomer]

    /// Reads the load customers' entries after the cursors, counting lookups; answers the
    /// `person.get` entries of `users` by "user person", or nil if a query failed.
    func scanAccessLog(_ op: ChaosConnection, users: Set<String>) -> [String: Int]? {
        var found: [String: Int] = [:]
        for customer in Self.scannedCustomers {
            while true {
                let cursor = cursors[customer].map { ",\"cursor\":\"\($0)\"" } ?? ""
                guard
                    case .result(let page) = op.call(
                        "audit.query", "{\"customer\":\"\(customer)\",\"limit\":1000\(cursor)}"),
                    let entries = page[chaos: "entries"]?.arrayValue
                else {
                    tally.checkerFailures["audit.query by customer", default: 0] += 1
                    return nil
                }
                for entry in entries {
                    guard let seq = entry[chaos: "seq"]?.uint64Value, let method = entry[chaos: "method"]?.stringValue
                    else { continue }
                    cursors[customer] = seq
                    if Self.lookupMethods.contains(method) { lookups[customer, default: 0] += 1 }
                    if method == "person.get", let user = entry[chaos: "user"]?.stringValue, users.contains(user),
                        let person = entry[chaos: "person"]?[chaos: "value"]?.stringValue
                    {
                        found[user + " " + person, default: 0] += 1
                    }
                }
                if page[chaos: "cursor"]?.stringValue == nil { break }
            }
        }
        return found
    }

    func checkReads(_ log: ChaosRoundLog, _ found: [String: Int]) {
        var answered: [String: Int] = [:]
        for read in log.reads { answered[read.user + " " + read.id, default: 0] += 1 }
        let inFlight = Set(log.readsInFlight.map { $0.user + " " + $0.id })
        tally.readsChecked += log.reads.count
        for (key, count) in answered where (found[key] ?? 0) < count { tally.readLosses += count - (found[key] ?? 0) }
        for (key, count) in found {
            let allowed = (answered[key] ?? 0) + (inFlight.contains(key) ? 1 : 0)
            if count > allowed { tally.extraEntries += count - allowed }
        }
    }

    func crossCheckByPerson(_ op: ChaosConnection, _ log: ChaosRoundLog, _ found: [String: Int], from: Int64) {
        let reads = Array(Set(log.reads))
        for i in sample(reads.indices, 3) {
            let read = reads[i]
            var count = 0
            var cursor = ""
            while true {
                let params = "{\"person\":\"\(read.id)\",\"from\":\"\(ChaosClock.iso(from))\",\"limit\":1000\(cursor)}"
                guard case .result(let page) = op.call("audit.query", params),
                    let entries = page[chaos: "entries"]?.arrayValue
                else {
                    tally.checkerFailures["audit.query by person", default: 0] += 1
                    return
                }
                count +=
                    entries.filter {
                        $0[chaos: "user"]?.stringValue == read.user && $0[chaos: "method"]?.stringValue == "person.get"
                    }.count
                guard let next = page[chaos: "cursor"]?.stringValue else { break }
                cursor = ",\"cursor\":\"\(next)\""
            }
            if count != found[read.user + " " + read.id] ?? 0 { tally.indexMismatches += 1 }
        }
    }

    func checkStatistics(_ op: ChaosConnection) {
        for customer in Self.scannedCustomers {
            tally.statsChecks += 1
            let expected = lookups[customer] ?? 0
            guard let counted = statisticsTotal(op, customer), counted != expected else { continue }
            usleep(500_000)
            if statisticsTotal(op, customer) == expected {
                tally.statsTransient += 1
            } else {
                tally.statsMismatches += 1
                chaosSay("  statistics mismatch: stats.get counts \(counted) lookups, the access log holds \(expected)")
            }
        }
    }

    /// The sum of `stats.get`'s lookups of `customer` since the campaign began.
    private func statisticsTotal(_ op: ChaosConnection, _ customer: String) -> Int? {
        let today = ChaosClock.utcDate(ChaosClock.wallMicros())
        let params =
            "{\"customer\":\"\(customer)\",\"from\":\"\(startDate)\",\"to\":\"\(today)\",\"granularity\":\"year\"}"
        guard case .result(let r) = op.call("stats.get", params), let rows = r[chaos: "rows"]?.arrayValue else {
            tally.checkerFailures["stats.get", default: 0] += 1
            return nil
        }
        return rows.reduce(0) { $0 + Int($1[chaos: "lookups"]?.int64Value ?? 0) }
    }

    func verifyChain(_ op: ChaosConnection, from: Int64?, round: Int) {
        tally.verifyRuns += 1
        let params = from.map { "{\"from\":\"\(ChaosClock.iso($0))\"}" } ?? "{}"
        guard case .result(let r) = op.call("audit.verify", params) else {
            tally.checkerFailures["audit.verify", default: 0] += 1
            return
        }
        if r[chaos: "valid"]?.boolValue != true {
            tally.verifyFailures += 1
            let broken = r[chaos: "firstBroken"]?.uint64Value.map(String.init) ?? "?"
            chaosSay("  audit.verify after round \(round): not valid, first broken seq \(broken)")
        }
    }
}
