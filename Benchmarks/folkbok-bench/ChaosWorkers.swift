import FolkbokModel
import Glibc

/// The crash loop's three kinds of load connection. Each runs until its connection is lost
/// (the server was killed) and answers what it saw acknowledged; none pipelines, so at most
/// one request per connection is in flight when the server dies.
enum ChaosWorkers {
    /// Contact writes with `ifVersion` chains on its own persons (no other connection writes
    /// them, so a 4009 is unexpected) and reserve assignments, in a 7 : 3 mix.
    ///
    /// - Parameters:
    ///   - chains: each person's contact version as last observed, the first `ifVersion`.
    ///   - today: the consent date (UTC, `YYYY-MM-DD`).
    static func writer(_ c: ChaosConnection, chains: [String: UInt64], today: String, rng: inout SplitMix64)
        -> ChaosRoundLog
    {
        var log = ChaosRoundLog()
        log.chainEnds = chains
        let persons = chains.keys.sorted()
        while !c.isLost {
            if rng.below(10) < 7, !persons.isEmpty {
                let id = persons[rng.below(persons.count)]
                let expected = log.chainEnds[id]!
                let phone = "\"phone\":\"070-\(1_000_000 + rng.below(8_999_999))\""
                let email = "\"email\":\"k\(rng.below(1_000_000))@example.se\""
                let fields = [phone, email, phone + "," + email][rng.below(3)]
                let consent = "\"consent\":{\"source\":\"chaos\",\"date\":\"\(today)\"}"
                let params = "{\"id\":\"\(id)\",\(fields),\(consent),\"ifVersion\":\(expected)}"
                switch c.call("contact.set", params) {
                case .result(let r):
                    guard let version = r[chaos: "version"]?.uint64Value else {
                        log.refused("contact.set", 0, "no version")
                        continue
                    }
                    if version != expected + 1 { log.refused("contact.set", 0, "version is not ifVersion + 1") }
                    log.contactAcks.append((id, version))
                    log.chainEnds[id] = version
                case .error(let code, let reason): log.refused("contact.set", code, reason)
                case .lost: log.contactInFlight.append(id)
                }
            } else {
                var params = "{}"
                if rng.below(5) > 0 {
                    let birth = CivilDate(
                        daysSinceEpoch: CivilDate(year: 1940, month: 1, day: 1)!.daysSinceEpoch + rng.below(29_000))
                    params =
                        "{\"person\":{\"birthDate\":\"\(birth.iso)\",\"sex\":\"\(rng.below(2) == 0 ? "F" : "M")\"}}"
                }
                switch c.call("reserve.assign", params) {
                case .result(let r):
                    guard let nrid = r[chaos: "reserve"]?[chaos: "value"]?.stringValue else {
                        log.refused("reserve.assign", 0, "no reserve")
                        continue
                    }
                    log.nrids.append(nrid)
                case .error(let code, let reason): log.refused("reserve.assign", code, reason)
                case .lost: break
                }
            }
        }
        return log
    }

    /// `person.get` of random demo persons in a customer session whose staff user is `user`.
    static func reader(_ c: ChaosConnection, customer: String, user: String, ids: [String], rng: inout SplitMix64)
        -> ChaosRoundLog
    {
        var log = ChaosRoundLog()
        while !c.isLost {
            let read = ChaosRead(customer: customer, user: user, id: ids[rng.below(ids.count)])
            switch c.call("person.get", "{\"id\":\"\(read.id)\"}") {
            case .result: log.reads.append(read)
            case .error(let code, let reason): log.refused("person.get", code, reason)
            case .lost: log.readsInFlight.append(read)
            }
        }
        return log
    }

    /// Delta imports of a few new persons each (`admin.import`), with an occasional
    /// `admin.snapshot` (operator session) and `stats.export` (`customer`'s session).
    static func administrator(
        _ op: ChaosConnection, customer: ChaosConnection?, imports: ChaosImports, rng: inout SplitMix64
    ) -> ChaosRoundLog {
        var log = ChaosRoundLog()
        while !op.isLost {
            let roll = rng.below(100)
            if roll < 5 {
                switch op.call("admin.snapshot") {
                case .result: log.snapshots += 1
                case .error(let code, let reason): log.refused("admin.snapshot", code, reason)
                case .lost: break
                }
            } else if roll < 12, let customer {
                switch customer.call("stats.export", "{\"kind\":\"aggregated\"}") {
                case .result(let r):
                    if let export = r[chaos: "export"]?.stringValue { log.exports.append(export) }
                case .error(let code, let reason): log.refused("stats.export", code, reason)
                case .lost: break
                }
            } else {
                let (path, expected) = imports.makeFile(count: 2 + rng.below(5))
                switch op.call("admin.import", "{\"path\":\"\(path)\",\"region\":\"01\",\"mode\":\"delta\"}") {
                case .result(let r):
                    let applied = (r[chaos: "inserted"]?.int64Value ?? 0) + (r[chaos: "updated"]?.int64Value ?? 0)
                    if applied == Int64(expected.records.count) && r[chaos: "rejected"]?.int64Value == 0 {
                        log.imports.append(expected)
                    } else {
                        log.refused("admin.import", 0, "not every line applied")
                    }
                case .error(let code, let reason): log.refused("admin.import", code, reason)
                case .lost: break
                }
            }
            usleep(UInt32(2_000 + rng.below(8_000)))
        }
        return log
    }
}
