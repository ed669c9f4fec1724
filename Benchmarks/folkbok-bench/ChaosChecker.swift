import FolkbokJSON
import FolkbokModel

/// The crash loop's checker, run against the restarted server after each kill, before the
/// next round's load. It keeps what was acknowledged over all rounds.
///
/// What it checks (counts into `tally`; this file the writes, `+Audit` the access log):
/// - every person of the contact chains shows a contact version ≥ the highest version ever
///   acknowledged for them (each version missing is one loss), and ≤ the end of the round's
///   acknowledged chain plus one if a `contact.set` of that person was in flight (else a
///   phantom version); the next round's `ifVersion` chain starts from what is shown;
/// - every NRID acknowledged in the round, and a sample of 100 older ones, answers
///   `person.get` (via `person.getMany`, `followLinks` false); no NRID was acknowledged twice
///   over the whole campaign;
/// - every record of every import acknowledged in the round, and a sample of 100 older ones,
///   is present with the street its import gave it;
/// - every `stats.export` ever acknowledged is listed by `stats.exports`.
final class ChaosChecker {
    let socketPath: String
    /// The campaign's first UTC day, the `from` of the statistics compared.
    let startDate: String
    var tally = ChaosTally()
    var rng: SplitMix64
    /// Per contact-chain person: the highest acknowledged version, and the version last shown.
    private(set) var floors: [String: UInt64] = [:]
    private(set) var shown: [String: UInt64] = [:]
    private var nrids: [String] = []
    private var nridSet: Set<String> = []
    private var imported: [(id: String, street: String)] = []
    private var exports: [String] = []
    /// Access-log scan state per customer: the last seq read and the lookups counted so far.
    var cursors: [String: UInt64] = [:]
    var lookups: [String: Int] = [:]

    init(socketPath: String, startDate: String, seed: UInt64) {
        self.socketPath = socketPath
        self.startDate = startDate
        rng = SplitMix64(seed: SplitMix64.mix(seed ^ 0xC4EC_4E12))
    }

    /// The contact chains' starting versions: the first `count` of `candidates` shown in full
    /// with contact details to the admin customer, active. False if the server could not say.
    func baseline(candidates: [String], count: Int) -> Bool {
        guard let c = checkerSession(), let records = getMany(c, candidates, options: "\"profile\":\"P3\"") else {
            return false
        }
        for id in candidates where floors.count < count {
            guard let record = records[id] ?? nil, let contact = record[chaos: "contact"],
                record[chaos: "status"]?[chaos: "state"]?.stringValue == "active"
            else { continue }
            let version = contact.isNull ? 0 : contact[chaos: "version"]?.uint64Value ?? 0
            floors[id] = version
            shown[id] = version
        }
        return floors.count == count
    }

    /// All checks after the restart that followed round `round`, whose load `log` recorded.
    func check(round: Int, log: ChaosRoundLog, roundStart: Int64, fullVerify: Bool) {
        tally.unexpected.merge(log.unexpected, uniquingKeysWith: +)
        tally.snapshotsAcknowledged += log.snapshots
        guard let c = checkerSession(), let op = ChaosConnection.operator(socketPath) else {
            tally.checkerFailures["session.open", default: 0] += 1
            return
        }
        checkContacts(c, log)
        checkNRIDs(c, log)
        checkImports(c, log)
        checkExports(c, log)
        let users: Set<String> = [
            ChaosLoad.readerUser(round: round, slot: 2), ChaosLoad.readerUser(round: round, slot: 3),
        ]
        if let found = scanAccessLog(op, users: users) {
            checkReads(log, found)
            crossCheckByPerson(op, log, found, from: roundStart - 1_000_000)
            checkStatistics(op)
        }
        verifyChain(op, from: fullVerify ? nil : roundStart - 5_000_000, round: round)
    }

    private func checkerSession() -> ChaosConnection? {
        ChaosConnection.customer(socketPath, customer: ChaosLoad.adminCustomer, user: "check")
    }

    private func checkContacts(_ c: ChaosConnection, _ log: ChaosRoundLog) {
        let ids = floors.keys.sorted()
        guard let records = getMany(c, ids, options: "\"profile\":\"P3\"") else { return }
        var acked: [String: UInt64] = [:]
        for (id, version) in log.contactAcks { acked[id] = max(acked[id] ?? 0, version) }
        tally.contactWritesChecked += log.contactAcks.count
        for id in ids {
            let floor = max(floors[id]!, acked[id] ?? 0)
            guard let record = records[id] ?? nil, let contact = record[chaos: "contact"] else {
                tally.contactLosses += Int(floor)
                continue
            }
            let version = contact.isNull ? 0 : contact[chaos: "version"]?.uint64Value ?? 0
            if version < floor { tally.contactLosses += Int(floor - version) }
            let ceiling = (log.chainEnds[id] ?? shown[id]!) + (log.contactInFlight.contains(id) ? 1 : 0)
            if version > ceiling { tally.phantomVersions += 1 }
            floors[id] = floor
            shown[id] = version
        }
    }

    private func checkNRIDs(_ c: ChaosConnection, _ log: ChaosRoundLog) {
        for nrid in log.nrids where !nridSet.insert(nrid).inserted { tally.duplicateNRIDs += 1 }
        let older = sample(nrids.indices, 100)
        let ids = Array(Set(log.nrids + older.map { nrids[$0] }))
        nrids += log.nrids
        tally.nridsChecked += log.nrids.count
        tally.olderRechecked += older.count
        guard let records = getMany(c, ids, options: "\"profile\":\"P1\",\"followLinks\":false") else { return }
        for id in ids where (records[id] ?? nil) == nil {
            tally.nridLosses += 1
            nrids.removeAll { $0 == id }
        }
    }

    private func checkImports(_ c: ChaosConnection, _ log: ChaosRoundLog) {
        let new = log.imports.flatMap(\.records)
        let older = sample(imported.indices, 100).map { imported[$0] }
        imported += new
        tally.importRecordsChecked += new.count
        tally.olderRechecked += older.count
        let expected = new + older
        guard let records = getMany(c, expected.map(\.id), options: "\"profile\":\"P2\"") else { return }
        for (id, street) in expected
        where (records[id] ?? nil)?[chaos: "address"]?[chaos: "street"]?.stringValue != street {
            tally.importLosses += 1
            imported.removeAll { $0.id == id }
        }
    }

    private func checkExports(_ c: ChaosConnection, _ log: ChaosRoundLog) {
        exports += log.exports
        tally.exportsChecked += log.exports.count
        guard case .result(let r) = c.call("stats.exports"), let listed = r[chaos: "exports"]?.arrayValue else {
            tally.checkerFailures["stats.exports", default: 0] += 1
            return
        }
        let present = Set(listed.compactMap { $0[chaos: "export"]?.stringValue })
        let missing = exports.filter { !present.contains($0) }
        tally.exportLosses += missing.count
        exports.removeAll { !present.contains($0) }
    }

    /// `person.getMany` in chunks of 500: each id's record, or nil inside for an id answered
    /// with an error; nil for the whole when a request failed (counted as a checker failure).
    func getMany(_ c: ChaosConnection, _ ids: [String], options: String) -> [String: JSONValue?]? {
        var records: [String: JSONValue?] = [:]
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(ids.count, start + 500)]
            let list = chunk.map { "\"\($0)\"" }.joined(separator: ",")
            guard case .result(let r) = c.call("person.getMany", "{\"ids\":[\(list)],\(options)}"),
                let results = r[chaos: "results"]?.arrayValue
            else {
                tally.checkerFailures["person.getMany", default: 0] += 1
                return nil
            }
            for item in results {
                guard let id = item[chaos: "id"]?.stringValue else { continue }
                records[id] = item[chaos: "record"]
            }
        }
        return records
    }

    /// Up to `count` distinct positions of `range`, at random.
    func sample(_ range: Range<Int>, _ count: Int) -> [Int] {
        guard range.count > count else { return Array(range) }
        var picked = Set<Int>()
        while picked.count < count { picked.insert(range.lowerBound + rng.below(range.count)) }
        return picked.sorted()
    }
}
