import FolkbokJSON
import FolkbokServer
import FolkbokSync
import Foundation
import XCTest

/// Statistics exports: the detailed kinds, fetch streaming, listing, deleting, auditing and who
/// may touch which export. One server for the class; each test looks up with its own customer
/// (municipality: pseudonymised, region 03: identified, region 01: aggregated and the lifecycle),
/// so a test's export holds exactly its own traffic.
final class StatisticsExportTests: XCTestCase {
    static let a = StatsPerson(1990, 6, 15, serial: 231, sex: "M", surname: "Ekholm")
    static let b = StatsPerson(1930, 1, 20, serial: 526, sex: "F", surname: "Lind")
    static let missing = personnummer(1960, 1, 1, serial: 999)
    static let rowKeys: Set<String> = [
        "time", "method", "user", "purpose", "contract", "profile", "outcome", "ageBand", "sex", "person",
    ]

    /// One server for the whole class (tests of a class run one at a time).
    static let shared = Locked<RunningServer?>(nil)

    func server() throws -> RunningServer {
        if let server = Self.shared.withLock({ $0 }) { return server }
        let server = try RunningServer(customers: statisticsCustomers(identified: [StatsCustomer.region03]))
        Self.shared.withLock { $0 = server }
        try server.importStatsPersons(try server.operatorSession(), [Self.a, Self.b], region: "01")
        return server
    }

    override class func tearDown() {
        shared.withLock { $0 = nil }
        super.tearDown()
    }

    /// Fetches `export` with request id `id`: the raw streamed lines, their parsed objects and the final line.
    func fetch(_ client: LineClient, _ export: String, id: Int = 42) throws -> (
        raw: [String], lines: [JSONObject], final: JSONObject
    ) {
        try client.send(
            line: "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"stats.fetch\",\"params\":{\"export\":\"\(export)\"}}")
        var raw: [String] = [], lines: [JSONObject] = []
        while let bytes = try client.readLine() {
            raw.append(String(decoding: bytes, as: UTF8.self))
            guard case .object(let o)? = try? JSONParser.parse(bytes) else {
                XCTFail("not JSON: \(raw.last!)")
                break
            }
            if o["result"] != nil || o["error"] != nil { return (raw, lines, o) }
            lines.append(o)
        }
        throw LineClient.Failure(description: "the connection closed before the answer")
    }

    /// The rows of a fetched export.
    func rows(_ fetched: (raw: [String], lines: [JSONObject], final: JSONObject)) -> [JSONObject] {
        fetched.lines.compactMap { $0["row"]?.objectValue }
    }

    /// Access-log entries of `customer` today, except the operator's own queries.
    func logged(_ customer: String) throws -> [JSONObject] {
        try auditEntries(try server().operatorSession(), customer: customer, day: utcToday())
    }

    func test_pseudonymised_stableWithinAnExport_unrelatedAcross_noPersonnummer() throws {
        let server = try server()
        let (a, b) = (Self.a.number, Self.b.number)
        let m = try server.session(StatsCustomer.municipality, purpose: "municipal", user: "m1")
        _ = try m.result("person.get", "{\"id\":\"\(a)\"}")
        _ = try m.result("person.get", "{\"id\":\"\(a)\",\"profile\":\"P2\"}")
        _ = try m.result("person.get", "{\"id\":\"\(b)\"}")
        XCTAssertEqual(try m.errorCode("person.get", "{\"id\":\"\(Self.missing)\"}"), 4004)
        _ = try m.result("person.getMany", "{\"ids\":[\"\(a)\",\"\(b)\"]}")

        let first = try m.result("stats.export", "{\"kind\":\"pseudonymised\"}")
        XCTAssertEqual(first["kind"], .string("pseudonymised"))
        XCTAssertEqual(first["rows"]?.int64Value, 6)
        let second = try m.result(
            "stats.export", "{\"kind\":\"pseudonymised\",\"by\":[\"method\"],\"granularity\":\"month\"}")
        XCTAssertEqual(second["rows"]?.int64Value, 6, "the detailed kinds ignore by and granularity")
        let one = try fetch(m, try XCTUnwrap(first["export"]?.stringValue))
        let two = try fetch(m, try XCTUnwrap(second["export"]?.stringValue))
        let rowsOne = rows(one), rowsTwo = rows(two)
        XCTAssertEqual(rowsOne.count, 6)
        XCTAssertEqual(rowsTwo.count, 6)

        for row in rowsOne + rowsTwo {
            XCTAssertEqual(Set(row.keys), Self.rowKeys)
            let pseudonym = row["person"]?.stringValue ?? ""
            XCTAssertNotNil(
                pseudonym.range(of: "^[0-9a-f]{16}$", options: .regularExpression), "pseudonym \(pseudonym)")
            XCTAssertEqual(row["user"], .string("m1"))
            XCTAssertEqual(row["purpose"], .string("municipal"))
            XCTAssertEqual(row["contract"], .string("normal"))
            XCTAssertNotNil(
                (row["time"]?.stringValue ?? "").range(
                    of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#, options: .regularExpression))
        }
        // Access-log order, with the event's dimensions.
        XCTAssertEqual(
            rowsOne.map { $0["method"]?.stringValue ?? "" },
            ["person.get", "person.get", "person.get", "person.get", "person.getMany", "person.getMany"])
        XCTAssertEqual(
            rowsOne.map { $0["outcome"]?.stringValue ?? "" }, ["full", "full", "full", "not_found", "full", "full"])
        XCTAssertEqual(
            rowsOne.map { $0["ageBand"]?.stringValue ?? "" }, ["18-39", "18-39", "80+", "unknown", "18-39", "80+"])
        XCTAssertEqual(rowsOne.map { $0["sex"]?.stringValue ?? "" }, ["M", "M", "F", "unknown", "M", "F"])
        XCTAssertEqual(
            rowsOne.map { $0["profile"]?.stringValue ?? "null" }, ["null", "P2", "null", "null", "null", "null"])
        let times = rowsOne.compactMap { $0["time"]?.stringValue }
        XCTAssertEqual(times, times.sorted())

        // Same identity, same pseudonym within an export; different identities differ.
        for pseudonyms in [rowsOne, rowsTwo].map({ $0.map { $0["person"]?.stringValue ?? "" } }) {
            XCTAssertEqual(pseudonyms[0], pseudonyms[1])
            XCTAssertEqual(pseudonyms[0], pseudonyms[4])
            XCTAssertEqual(pseudonyms[2], pseudonyms[5])
            XCTAssertEqual(Set([pseudonyms[0], pseudonyms[2], pseudonyms[3]]).count, 3)
        }
        // Unrelated across exports.
        XCTAssertTrue(
            Set(rowsOne.map { $0["person"]?.stringValue ?? "" }).isDisjoint(
                with: rowsTwo.map { $0["person"]?.stringValue ?? "" }))
        // No personnummer, in any form, in what was sent. (A pseudonym may hold a run of digits
        // by chance, so runs are looked for with the pseudonyms left out.)
        XCTAssertEqual(one.raw.count, 7)
        for line in one.raw + two.raw {
            XCTAssertNil(
                withoutPseudonyms(line).range(of: "[0-9]{10,}", options: .regularExpression),
                "a long digit run in \(line)")
            for number in [a, b, Self.missing] {
                XCTAssertFalse(line.contains(number.suffix(10)), "personnummer in \(line)")
                XCTAssertFalse(
                    line.contains(number.dropFirst(2).prefix(6) + "-" + number.suffix(4)), "personnummer in \(line)")
            }
        }
    }

    /// An identified export names the identity answered (through a reserve link) or, when none,
    /// the one asked; only a customer configured for it may create one.
    func test_identified_namesIdentities_forAConfiguredCustomerOnly() throws {
        let server = try server()
        let admin = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        let nrid = try XCTUnwrap(admin.result("reserve.assign", "{}").identityValue("reserve"))
        _ = try admin.result("reserve.link", "{\"reserve\":\"\(nrid)\",\"to\":\"\(Self.b.number)\"}")

        let r3 = try server.session(StatsCustomer.region03, purpose: "care", user: "r3")
        _ = try r3.result("person.get", "{\"id\":\"\(Self.a.number)\"}")
        XCTAssertEqual(try r3.errorCode("person.get", "{\"id\":\"\(Self.missing)\"}"), 4004)
        XCTAssertEqual(try r3.result("person.get", "{\"id\":\"\(nrid)\"}").identityValue("id"), Self.b.number)
        let made = try r3.result("stats.export", "{\"kind\":\"identified\"}")
        XCTAssertEqual(made["kind"], .string("identified"))
        XCTAssertEqual(made["rows"]?.int64Value, 3)
        let fetched = try fetch(r3, try XCTUnwrap(made["export"]?.stringValue))
        let persons = rows(fetched).map { $0["person"]?.objectValue ?? JSONObject() }
        XCTAssertEqual(persons.map { $0["kind"]?.stringValue }, ["personnummer", "personnummer", "personnummer"])
        XCTAssertEqual(persons.map { $0["value"]?.stringValue }, [Self.a.number, Self.missing, Self.b.number])
        XCTAssertEqual(rows(fetched).map { $0["outcome"]?.stringValue }, ["full", "not_found", "full"])
        XCTAssertEqual(rows(fetched).map { $0["user"]?.stringValue }, ["r3", "r3", "r3"])

        // Customers with the default kinds: identified is 4003 and makes nothing.
        let p = try server.session(StatsCustomer.privateProvider, purpose: "care", user: nil)
        let refused = try p.failure("stats.export", "{\"kind\":\"identified\"}")
        XCTAssertEqual(refused["code"]?.int64Value, 4003)
        XCTAssertEqual(refused["data"]?.objectValue?["reason"], .string("forbidden"))
        XCTAssertEqual(try admin.errorCode("stats.export", "{\"kind\":\"identified\"}"), 4003)
        XCTAssertEqual(try p.result("stats.exports", "{}")["exports"]?.arrayValue?.count, 0)
        XCTAssertEqual(try logged(StatsCustomer.privateProvider).count, 0, "a refused export writes no audit entry")
        XCTAssertEqual(try p.result("stats.export", "{\"kind\":\"pseudonymised\"}")["rows"]?.int64Value, 0)
    }

    /// An aggregated export holds the rows of stats.get with the same params.
    func test_aggregated_rowsAreThoseOfStatsGet() throws {
        let server = try server()
        let r1 = try server.session(StatsCustomer.region01, purpose: "care", user: "agg")
        _ = try r1.result("person.get", "{\"id\":\"\(Self.a.number)\"}")
        _ = try r1.result("person.get", "{\"id\":\"\(Self.a.number)\"}")
        _ = try r1.result("person.getMany", "{\"ids\":[\"\(Self.b.number)\",\"\(Self.missing)\"]}")
        let params = "\"by\":[\"user\",\"method\",\"outcome\"],\"granularity\":\"month\""
        let expected = statsRows(try r1.result("stats.get", "{\(params)}"))
        XCTAssertGreaterThanOrEqual(expected.count, 3)
        let made = try r1.result("stats.export", "{\"kind\":\"aggregated\",\(params)}")
        XCTAssertEqual(made["rows"]?.int64Value, Int64(expected.count))
        let fetched = try fetch(r1, try XCTUnwrap(made["export"]?.stringValue))
        XCTAssertEqual(rows(fetched), expected)
        XCTAssertEqual(fetched.final.result?["rows"]?.int64Value, Int64(expected.count))
        let mine = expected.filter { $0["user"] == .string("agg") }
        XCTAssertEqual(
            mine.map { statsKey($0, ["method", "outcome"]) },
            ["person.get|full", "person.getMany|full", "person.getMany|not_found"])
        XCTAssertEqual(mine.map { $0["lookups"]?.int64Value }, [2, 1, 1])
    }

    /// Fetch streams rows then a result; the list is oldest first; delete removes at once; export
    /// and fetch each write one audit entry and count no lookup; other customers see 4004.
    func test_lifecycle_fetchListDelete_auditedOnce_andPrivatePerCustomer() throws {
        let server = try server()
        let r1 = try server.session(StatsCustomer.region01, purpose: "care", user: "life")
        _ = try r1.result("person.get", "{\"id\":\"\(Self.a.number)\"}")
        let lookupsBefore = statsRows(try r1.result("stats.get", "{}")).reduce(0) {
            $0 + ($1["lookups"]?.int64Value ?? 0)
        }
        let auditBefore = try logged(StatsCustomer.region01).count
        let otherAuditBefore = try logged(StatsCustomer.region03).count

        var made: [JSONObject] = []
        for kind in ["pseudonymised", "aggregated", "pseudonymised"] {
            made.append(try r1.result("stats.export", "{\"kind\":\"\(kind)\"}"))
        }
        let ids = made.compactMap { $0["export"]?.stringValue }
        XCTAssertEqual(Set(ids).count, 3)
        for m in made {
            XCTAssertEqual(m.keys, ["export", "kind", "rows", "created", "expiresAt"])
            let created = try XCTUnwrap(isoDate(m["created"]?.stringValue)),
                expires = try XCTUnwrap(isoDate(m["expiresAt"]?.stringValue))
            XCTAssertEqual(expires.timeIntervalSince(created), 604_800, accuracy: 0.001, "default ttl 7 days")
            XCTAssertLessThan(abs(created.timeIntervalSinceNow), 60)
        }
        var entries = try logged(StatsCustomer.region01)
        XCTAssertEqual(entries.count, auditBefore + 3)
        for e in entries.suffix(3) {
            XCTAssertEqual(e["method"], .string("stats.export"))
            XCTAssertEqual(e["person"], .null)
            XCTAssertEqual(e["resolved"], .null)
            XCTAssertEqual(e["outcome"], .null)
            XCTAssertEqual(e["user"], .string("life"))
        }

        // Fetch: row lines with the request's id, then the result.
        let fetched = try fetch(r1, ids[0], id: 4711)
        XCTAssertEqual(Int64(fetched.lines.count), made[0]["rows"]?.int64Value)
        XCTAssertGreaterThan(fetched.lines.count, 0)
        for line in fetched.lines {
            XCTAssertEqual(line.keys, ["jsonrpc", "id", "row"])
            XCTAssertEqual(line["jsonrpc"], .string("2.0"))
            XCTAssertEqual(line["id"]?.int64Value, 4711)
        }
        XCTAssertEqual(fetched.final["id"]?.int64Value, 4711)
        XCTAssertEqual(fetched.final.result?.keys, ["rows", "expiresAt"])
        XCTAssertEqual(fetched.final.result?["rows"]?.int64Value, made[0]["rows"]?.int64Value)
        XCTAssertEqual(fetched.final.result?["expiresAt"], made[0]["expiresAt"])
        entries = try logged(StatsCustomer.region01)
        XCTAssertEqual(entries.count, auditBefore + 4)
        XCTAssertEqual(entries.last?["method"], .string("stats.fetch"))
        XCTAssertEqual(entries.last?["person"], .null)
        XCTAssertEqual(entries.last?["outcome"], .null)
        XCTAssertEqual(try r1.result("ping", "{}")["pong"], .bool(true), "the connection goes on after a stream")

        // The list: oldest first, with the same fields.
        let listed = (try r1.result("stats.exports", "{}")["exports"]?.arrayValue ?? []).compactMap(\.objectValue)
        XCTAssertEqual(listed.compactMap { $0["export"]?.stringValue }.filter(ids.contains), ids)
        let created = listed.compactMap { isoDate($0["created"]?.stringValue) }
        XCTAssertEqual(created.count, listed.count)
        XCTAssertEqual(created, created.sorted())
        XCTAssertEqual(listed.first { $0["export"]?.stringValue == ids[1] }, made[1])

        // Another customer: 4004 not_found for fetch and delete, like an unknown id; the export stays.
        let r3 = try server.session(StatsCustomer.region03, purpose: "care", user: nil)
        for method in ["stats.fetch", "stats.delete"] {
            let other = try r3.failure(method, "{\"export\":\"\(ids[0])\"}")
            XCTAssertEqual(other["code"]?.int64Value, 4004, method)
            XCTAssertEqual(other["data"]?.objectValue?["reason"], .string("not_found"), method)
            let unknown = try r1.failure(method, "{\"export\":\"no-such-export\"}")
            XCTAssertEqual(unknown["code"]?.int64Value, 4004, method)
            XCTAssertEqual(unknown["data"]?.objectValue?["reason"], .string("not_found"), method)
        }
        XCTAssertFalse(
            (try r3.result("stats.exports", "{}")["exports"]?.arrayValue ?? []).contains {
                $0.objectValue?["export"]?.stringValue.map(ids.contains) == true
            })

        // Delete: at once; then fetch and delete are 4004 and the list lacks it.
        let deleted = try r1.result("stats.delete", "{\"export\":\"\(ids[1])\"}")
        XCTAssertEqual(deleted.keys, ["deleted"])
        XCTAssertEqual(deleted["deleted"], .bool(true))
        let gone = try r1.failure("stats.fetch", "{\"export\":\"\(ids[1])\"}")
        XCTAssertEqual(gone["code"]?.int64Value, 4004)
        XCTAssertEqual(gone["data"]?.objectValue?["reason"], .string("not_found"))
        XCTAssertEqual(try r1.errorCode("stats.delete", "{\"export\":\"\(ids[1])\"}"), 4004)
        let after = (try r1.result("stats.exports", "{}")["exports"]?.arrayValue ?? []).compactMap {
            $0.objectValue?["export"]?.stringValue
        }
        XCTAssertEqual(after.filter(ids.contains), [ids[0], ids[2]])
        XCTAssertEqual(rows(try fetch(r1, ids[0])).count, fetched.lines.count, "still there after the other's attempts")

        // Audit: one more fetch; the refusals, the list, the delete and stats.get wrote nothing.
        XCTAssertEqual(try logged(StatsCustomer.region01).count, auditBefore + 5)
        XCTAssertEqual(try logged(StatsCustomer.region03).count, otherAuditBefore)
        // Exports and fetches are not lookups.
        XCTAssertEqual(
            statsRows(try r1.result("stats.get", "{}")).reduce(0) { $0 + ($1["lookups"]?.int64Value ?? 0) },
            lookupsBefore)
    }
}

/// `text` with every 16-hex-digit pseudonym replaced by `<p>`.
func withoutPseudonyms(_ text: String) -> String {
    text.replacingOccurrences(of: "(?<![0-9a-f])[0-9a-f]{16}(?![0-9a-f])", with: "<p>", options: .regularExpression)
}

/// An ISO 8601 UTC timestamp with or without fractional seconds.
func isoDate(_ text: String?) -> Date? {
    guard let text else { return nil }
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: text) { return d }
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: text)
}
