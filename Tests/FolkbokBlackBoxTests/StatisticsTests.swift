import FolkbokJSON
import FolkbokServer
import FolkbokSync
import Foundation
import XCTest

/// Counts, suppression, the access-log invariant, access rules (StatisticsAccessRulesTests.swift)
/// and malformed params of the usage statistics, against one server (`--stats-threshold 3`)
/// that has served 22 known lookups. The statistics methods add no lookups, so every test here
/// only reads what the traffic left.
final class StatisticsTests: XCTestCase {
    /// Region 01: A 0-17 F, B 18-39 M, C 40-64 F (surname Ekholm), D 65-79 M, E 80+ F, S sekretess
    /// (M, 40-64 when seen), K skyddad. Region 03: X 18-39 M, Y 65-79 F. `missing` is never imported.
    static let a = StatsPerson(2015, 3, 10, serial: 142, sex: "F", surname: "Ekholm")
    static let b = StatsPerson(1990, 6, 15, serial: 231, sex: "M", surname: "Ekholm")
    static let c = StatsPerson(1970, 2, 2, serial: 324, sex: "F", surname: "Ekholm")
    static let d = StatsPerson(1955, 5, 5, serial: 413, sex: "M", surname: "Lind")
    static let e = StatsPerson(1930, 1, 20, serial: 526, sex: "F", surname: "Lind")
    static let s = StatsPerson(1975, 7, 7, serial: 617, sex: "M", surname: "Berg", protection: "sekretess")
    static let k = StatsPerson(1978, 3, 3, serial: 728, sex: "F", surname: "Berg", protection: "skyddad")
    static let x = StatsPerson(2000, 1, 1, serial: 813, sex: "M", surname: "Norr")
    static let y = StatsPerson(1950, 12, 12, serial: 924, sex: "F", surname: "Norr")
    static let missing = personnummer(1960, 1, 1, serial: 999)

    /// One server for the whole class (tests of a class run one at a time).
    static let shared = Locked<RunningServer?>(nil)

    /// The class's server, started and given its traffic by the first test that needs it.
    func server() throws -> RunningServer {
        if let server = Self.shared.withLock({ $0 }) { return server }
        let server = try RunningServer(arguments: ["--stats-threshold", "3"], customers: statisticsCustomers())
        Self.shared.withLock { $0 = server }
        try Self.sendTraffic(server)
        return server
    }

    override class func tearDown() {
        shared.withLock { $0 = nil }
        super.tearDown()
    }

    /// The 22 lookups every test here counts (numbered as in the expectations below).
    static func sendTraffic(_ server: RunningServer) throws {
        let op = try server.operatorSession()
        try server.importStatsPersons(op, [a, b, c, d, e, s, k], region: "01")
        try server.importStatsPersons(op, [x, y], region: "03")
        // The operator's refused read is logged as forbidden but never counted.
        XCTAssertEqual(try op.errorCode("person.get", "{\"id\":\"\(a.number)\"}"), 4003)

        let u1 = try server.session(StatsCustomer.region01, purpose: "care", user: "u1")
        _ = try u1.result("person.get", "{\"id\":\"\(a.number)\",\"profile\":\"P1\"}")  // 1 full 0-17 F, P1
        _ = try u1.result("person.get", "{\"id\":\"\(b.number)\"}")  // 2 full 18-39 M
        XCTAssertEqual(try u1.result("person.get", "{\"id\":\"\(s.number)\"}")["limited"], .bool(true))  // 3 limited
        XCTAssertEqual(try u1.errorCode("person.get", "{\"id\":\"\(missing)\"}"), 4004)  // 4 not_found
        let many = try u1.result(
            "person.getMany", "{\"ids\":[\"\(c.number)\",\"\(d.number)\",\"\(e.number)\",\"\(missing)\"]}")
        XCTAssertEqual(many["results"]?.arrayValue?.count, 4)  // 5-8: C, D, E full; not_found

        let u2 = try server.session(StatsCustomer.region01, purpose: "care", contract: "extended", user: "u2")
        XCTAssertNil(try u2.result("person.get", "{\"id\":\"\(s.number)\"}")["limited"])  // 9 full 40-64 M
        XCTAssertEqual(try u2.result("person.get", "{\"id\":\"\(k.number)\"}")["limited"], .bool(true))  // 10 limited
        let hits = try u2.result("person.search", "{\"surname\":\"Ekholm\"}")["results"]?.arrayValue
        XCTAssertEqual(hits?.count, 3)  // 11-13: A, B, C full

        let anonymous = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        // 14-15: X, Y full
        XCTAssertEqual(try anonymous.stream("extract.create", "{\"region\":\"03\"}").lines.count, 2)
        let nrid = try anonymous.result("reserve.assign", "{\"person\":{\"birthDate\":\"1979-08-14\",\"sex\":\"F\"}}")
        let reserve = try XCTUnwrap(nrid.identityValue("reserve"))
        _ = try anonymous.result("reserve.get", "{\"reserve\":\"\(reserve)\"}")  // 16 full 40-64 F

        let r3 = try server.session(StatsCustomer.region03, purpose: "care", user: "r3")
        _ = try r3.result("person.get", "{\"id\":\"\(a.number)\"}")  // 17 full 0-17 F
        _ = try r3.result("person.get", "{\"id\":\"\(b.number)\"}")  // 18 full 18-39 M
        XCTAssertEqual(try r3.errorCode("person.get", "{\"id\":\"\(missing)\"}"), 4004)  // 19 not_found

        let m = try server.session(StatsCustomer.municipality, purpose: "municipal", user: "m1")
        _ = try m.result("person.get", "{\"id\":\"\(c.number)\"}")  // 20 full 40-64 F
        _ = try m.result("person.get", "{\"id\":\"\(d.number)\"}")  // 21 full 65-79 M

        let p = try server.session(StatsCustomer.privateProvider, purpose: "care", user: nil)
        _ = try p.result("person.get", "{\"id\":\"\(e.number)\"}")  // 22 full 80+ F
    }

    /// `stats.get` as region 01 with `params`.
    func own(_ params: String) throws -> JSONObject {
        try server().session(StatsCustomer.region01, purpose: "care", user: "reader").result("stats.get", params)
    }

    /// `stats.get` totals over the default 30 days grouped `by`, summed over periods.
    func ownTotals(_ by: [String], customer: String = StatsCustomer.region01, purpose: String = "care") throws
        -> [String: Int64]
    {
        let c = try server().session(customer, purpose: purpose, user: nil)
        return statsTotals(try c.result("stats.get", statsParams(by: by, "\"granularity\":\"year\"")), by)
    }

    // MARK: Exact counts

    func test_get_countsEachDimension_ofTheCustomersOwnLookups() throws {
        XCTAssertEqual(try ownTotals([]), ["": 16])
        XCTAssertEqual(
            try ownTotals(["method"]),
            ["extract.create": 2, "person.get": 6, "person.getMany": 4, "person.search": 3, "reserve.get": 1])
        XCTAssertEqual(try ownTotals(["outcome"]), ["full": 12, "limited": 2, "not_found": 2])
        XCTAssertEqual(try ownTotals(["user"]), ["null": 3, "u1": 8, "u2": 5])
        XCTAssertEqual(try ownTotals(["purpose"]), ["care": 16])
        XCTAssertEqual(try ownTotals(["contract"]), ["extended": 5, "normal": 11])
        XCTAssertEqual(try ownTotals(["profile"]), ["null": 15, "P1": 1])
        XCTAssertEqual(try ownTotals(["category"]), ["region": 16])
        XCTAssertEqual(try ownTotals(["region"]), ["01": 16])
        XCTAssertEqual(
            try ownTotals(["ageBand"]), ["0-17": 2, "18-39": 3, "40-64": 4, "65-79": 2, "80+": 1, "unknown": 4])
        XCTAssertEqual(try ownTotals(["sex"]), ["F": 7, "M": 5, "unknown": 4])

        XCTAssertEqual(try ownTotals([], customer: StatsCustomer.region03), ["": 3])
        XCTAssertEqual(
            try ownTotals(["user", "outcome"], customer: StatsCustomer.region03), ["r3|full": 2, "r3|not_found": 1])
        XCTAssertEqual(
            try ownTotals(
                ["purpose", "region", "ageBand"], customer: StatsCustomer.municipality, purpose: "municipal"),
            ["municipal|01|40-64": 1, "municipal|01|65-79": 1])
        XCTAssertEqual(
            try ownTotals(["category", "region", "user", "sex"], customer: StatsCustomer.privateProvider),
            ["private|null|null|F": 1])
    }

    /// Rows come ordered by the `by` values in the order given, `null` first, with exactly the
    /// keys period, the dimensions and lookups.
    func test_get_rowsOrderedByValues_nullFirst_withExactKeys() throws {
        let result = try own(statsParams(by: ["outcome", "sex"], "\"granularity\":\"year\""))
        let cells = statsCells(result, ["outcome", "sex"])
        XCTAssertEqual(cells.map(\.key), ["full|F", "full|M", "limited|unknown", "not_found|unknown"])
        XCTAssertEqual(cells.map(\.lookups), [7, 5, 2, 2])
        for row in statsRows(result) {
            XCTAssertEqual(row.keys, ["period", "outcome", "sex", "lookups"])
            XCTAssertEqual(row["period"], .string(String(utcToday().prefix(4))))
        }
        XCTAssertNil(result["sessions"], "no sessions unless asked for")

        let byUser = statsCells(
            try own(statsParams(by: ["user", "contract"], "\"granularity\":\"year\"")), ["user", "contract"])
        XCTAssertEqual(byUser.map(\.key), ["null|normal", "u1|normal", "u2|extended"])
        XCTAssertEqual(byUser.map(\.lookups), [3, 8, 5])
        // The reverse order of dimensions orders by contract first.
        let byContract = statsCells(
            try own(statsParams(by: ["contract", "user"], "\"granularity\":\"year\"")), ["contract", "user"])
        XCTAssertEqual(byContract.map(\.key), ["extended|u2", "normal|null", "normal|u1"])
    }

    /// Every granularity labels its periods as docs/PROTOCOL.md shows and counts the same lookups.
    func test_get_granularities_labelPeriods() throws {
        let today = utcToday()
        let patterns = [
            "hour": #"^\d{4}-\d{2}-\d{2}T\d{2}$"#, "day": #"^\d{4}-\d{2}-\d{2}$"#, "month": #"^\d{4}-\d{2}$"#,
            "year": #"^\d{4}$"#,
        ]
        for (granularity, pattern) in patterns {
            let rows = statsRows(
                try own("{\"granularity\":\"\(granularity)\",\"from\":\"\(today)\",\"to\":\"\(today)\"}"))
            XCTAssertEqual(rows.reduce(0) { $0 + ($1["lookups"]?.int64Value ?? 0) }, 16, granularity)
            for row in rows {
                let period = row["period"]?.stringValue ?? ""
                XCTAssertNotNil(period.range(of: pattern, options: .regularExpression), "\(granularity): \(period)")
                XCTAssertTrue(today.hasPrefix(period.prefix(10)), "\(granularity): \(period) is today's")
            }
        }
        // The default granularity is day; a range without today has no rows.
        let daily = statsRows(try own("{\"from\":\"\(today)\",\"to\":\"\(today)\"}"))
        XCTAssertEqual(daily.map { $0["period"]?.stringValue }, [today])
        XCTAssertEqual(
            statsRows(try own("{\"from\":\"2020-01-01\",\"to\":\"2020-12-31\",\"granularity\":\"year\"}")).count, 0)
    }

    func test_open_countsEveryCustomer_butNoOperator() throws {
        let open = try server().client()
        func totals(_ by: [String]) throws -> [(key: String, lookups: Int64?)] {
            statsCells(try open.result("stats.open", statsParams(by: by, "\"granularity\":\"year\"")), by)
        }
        // Threshold 3: 1 and 2 are suppressed, 3 is shown.
        XCTAssertEqual(
            try totals(["method"]).map(\.key),
            ["extract.create", "person.get", "person.getMany", "person.search", "reserve.get"])
        XCTAssertEqual(try totals(["method"]).map(\.lookups), [nil, 12, 4, 3, nil])
        XCTAssertEqual(try totals(["category"]).map(\.key), ["municipality", "private", "region"])
        XCTAssertEqual(try totals(["category"]).map(\.lookups), [nil, nil, 19])
        XCTAssertEqual(try totals(["region"]).map(\.key), ["null", "01", "03"])
        XCTAssertEqual(try totals(["region"]).map(\.lookups), [nil, 18, 3])
        XCTAssertEqual(try totals(["outcome"]).map(\.key), ["full", "limited", "not_found"])
        XCTAssertEqual(try totals(["outcome"]).map(\.lookups), [17, nil, 3])
        XCTAssertEqual(try totals(["ageBand"]).map(\.key), ["0-17", "18-39", "40-64", "65-79", "80+", "unknown"])
        XCTAssertEqual(try totals(["ageBand"]).map(\.lookups), [3, 4, 5, 3, nil, 5])
        XCTAssertEqual(try totals(["sex"]).map(\.key), ["F", "M", "unknown"])
        XCTAssertEqual(try totals(["sex"]).map(\.lookups), [10, 7, 5])
        XCTAssertEqual(try totals([]).map(\.lookups), [22])
    }

    // MARK: Suppression

    func test_open_suppressesCellsBelowTheThreshold() throws {
        let open = try server().client()
        let result = try open.result("stats.open", statsParams(by: ["category"], "\"granularity\":\"year\""))
        XCTAssertEqual(result["threshold"]?.int64Value, 3)
        let rows = statsRows(result)
        XCTAssertEqual(rows.count, 3)
        let year = String(utcToday().prefix(4))
        // municipality 2, private 1: suppressed with null lookups; region 19 shown without the key.
        for row in rows.prefix(2) {
            XCTAssertEqual(row.keys, ["period", "category", "lookups", "suppressed"])
            XCTAssertEqual(row["lookups"], .null)
            XCTAssertEqual(row["suppressed"], .bool(true))
        }
        XCTAssertEqual(rows[2].keys, ["period", "category", "lookups"])
        XCTAssertEqual(rows[2]["lookups"]?.int64Value, 19)
        XCTAssertEqual(rows.map { $0["period"]?.stringValue }, [year, year, year])
        // Exactly at the threshold: region 03 with 3 lookups is shown.
        let byRegion = statsRows(try open.result("stats.open", statsParams(by: ["region"], "\"granularity\":\"year\"")))
        XCTAssertEqual(byRegion.last?["region"], .string("03"))
        XCTAssertEqual(byRegion.last?["lookups"]?.int64Value, 3)
        XCTAssertNil(byRegion.last?["suppressed"])
        XCTAssertEqual(byRegion.first?["region"], .null)
        XCTAssertEqual(byRegion.first?["suppressed"], .bool(true))
        // The logged-in view never suppresses.
        let own = try server().session(StatsCustomer.privateProvider, purpose: "care", user: nil)
        let single = statsRows(try own.result("stats.get", "{\"granularity\":\"year\"}"))
        XCTAssertEqual(single.map { $0["lookups"]?.int64Value }, [1])
        XCTAssertNil(single.first?["suppressed"])
    }

    func test_open_csv_headerRowsAndEmptyFields() throws {
        let open = try server().client()
        let year = String(utcToday().prefix(4))
        let csv = try open.result(
            "stats.open", statsParams(by: ["region", "category"], "\"granularity\":\"year\",\"format\":\"csv\""))
        XCTAssertEqual(csv.keys, ["csv"])
        XCTAssertEqual(
            csv["csv"]?.stringValue,
            """
            period,region,category,lookups
            \(year),,private,
            \(year),01,municipality,
            \(year),01,region,16
            \(year),03,region,3

            """)
        let plain = try open.result("stats.open", "{\"granularity\":\"year\",\"format\":\"csv\"}")
        XCTAssertEqual(plain["csv"]?.stringValue, "period,lookups\n\(year),22\n")
        let json = try open.result("stats.open", "{\"granularity\":\"year\",\"format\":\"json\"}")
        XCTAssertEqual(statsRows(json).map { $0["lookups"]?.int64Value }, [22])
    }

    func test_threshold_belowThree_isAStartUpError() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let serve = [
            "serve", "--socket", directory + "/s.sock", "--data", directory + "/data", "--customers",
            directory + "/c.json",
        ]
        try statisticsCustomers().write(toFile: directory + "/c.json", atomically: true, encoding: .utf8)
        for bad in ["2", "0", "many"] {
            let r = try runFolkbok(serve + ["--stats-threshold", bad], timeout: 10)
            XCTAssertEqual(r.status, 2, "--stats-threshold \(bad): \(r.err)")
            XCTAssertTrue(r.err.contains("stats-threshold"), r.err)
        }
        for bad in ["0", "soon"] {
            let r = try runFolkbok(serve + ["--export-ttl", bad], timeout: 10)
            XCTAssertEqual(r.status, 2, "--export-ttl \(bad): \(r.err)")
            XCTAssertTrue(r.err.contains("export-ttl"), r.err)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/s.sock"), "no server started")
    }

    /// `folkbok stats`: CSV of the public statistics, a table of the customer's own, and an export
    /// written as CSV with a header (docs/PROTOCOL.md, "Command line").
    func test_commandLine_statsTableCsvAndExport() throws {
        let server = try server()
        let socket = ["--socket", server.socketPath]
        let help = try runFolkbok(["stats", "--help"], timeout: 10)
        XCTAssertEqual(help.status, 0, help.err)
        guard help.status == 0 else { return }
        XCTAssertTrue(help.out.contains("--open") || help.err.contains("--open"), help.out + help.err)

        let csv = try runFolkbok(
            ["stats", "--open", "--granularity", "year", "--by", "region,category", "--csv"] + socket, timeout: 10)
        XCTAssertEqual(csv.status, 0, csv.err)
        let expected = try server.client().result(
            "stats.open", statsParams(by: ["region", "category"], "\"granularity\":\"year\",\"format\":\"csv\""))
        XCTAssertEqual(
            csv.out.trimmingCharacters(in: .newlines), expected["csv"]?.stringValue?.trimmingCharacters(in: .newlines))

        let table = try runFolkbok(["stats", "--granularity", "year", "--by", "outcome"] + socket, timeout: 10)
        XCTAssertEqual(table.status, 0, table.err)
        for cell in ["full", "12", "limited", "not_found"] {
            XCTAssertTrue(table.out.contains(cell), "\(cell) in \(table.out)")
        }

        let file = server.directory + "/export.csv"
        let export = try runFolkbok(
            ["stats", "export", "--kind", "pseudonymised", "--out", file] + socket, timeout: 10)
        XCTAssertEqual(export.status, 0, export.err)
        let lines = ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n")
        XCTAssertEqual(lines.count, 1 + 16, "a header and region 01's 16 lookups")
        for name in ["time", "method", "outcome", "ageBand", "sex", "person"] {
            XCTAssertTrue(
                lines.first?.contains(name) == true, "header \(String(describing: lines.first)) names \(name)")
        }
        let text = lines.joined(separator: "\n")
        XCTAssertNil(
            withoutPseudonyms(text).range(of: "[0-9]{10,}", options: .regularExpression), "no personnummer in the CSV")
        for number in [Self.a, Self.b, Self.c, Self.d, Self.e, Self.s, Self.x, Self.y].map(\.number) + [Self.missing] {
            XCTAssertFalse(text.contains(number.suffix(10)), "personnummer in the CSV")
        }
        XCTAssertEqual(
            lines.dropFirst().filter { withoutPseudonyms(String($0)).contains("<p>") }.count, 16,
            "a pseudonym on every row")
        XCTAssertEqual(try runFolkbok(["stats", "--bogus"] + socket, timeout: 10).status, 2)
    }

    // MARK: The access-log invariant

    /// For each customer and today, lookups counted = access-log entries of the counted methods;
    /// the operator's entries (refused reads, queries) are in the log but counted nowhere.
    func test_lookupsCounted_equalAccessLogEntries_perCustomerAndDay() throws {
        let server = try server()
        let op = try server.operatorSession()
        let today = utcToday()
        var sum: Int64 = 0
        for customer in [
            StatsCustomer.region01, StatsCustomer.region03, StatsCustomer.municipality, StatsCustomer.privateProvider,
        ] {
            let logged = try auditEntries(op, customer: customer, day: today).filter {
                countedMethods.contains($0["method"]?.stringValue ?? "")
            }
            let rows = statsRows(
                try op.result("stats.get", "{\"customer\":\"\(customer)\",\"from\":\"\(today)\",\"to\":\"\(today)\"}"))
            let counted = rows.reduce(0) { $0 + ($1["lookups"]?.int64Value ?? 0) }
            XCTAssertEqual(counted, Int64(logged.count), customer)
            // Per outcome too.
            let byOutcome = statsTotals(
                try op.result(
                    "stats.get",
                    "{\"customer\":\"\(customer)\",\"from\":\"\(today)\",\"to\":\"\(today)\",\"by\":[\"outcome\",\"method\"]}"
                ), ["outcome", "method"])
            var fromLog: [String: Int64] = [:]
            for e in logged {
                fromLog["\(e["outcome"]?.stringValue ?? "null")|\(e["method"]?.stringValue ?? "null")", default: 0] += 1
            }
            XCTAssertEqual(byOutcome, fromLog, customer)
            sum += counted
        }
        XCTAssertEqual(sum, 22)
        let operatorEntries = try auditEntries(op, customer: StatsCustomer.operatorID, day: today)
        XCTAssertTrue(
            operatorEntries.contains {
                $0["method"]?.stringValue == "person.get" && $0["outcome"]?.stringValue == "forbidden"
            })
        XCTAssertEqual(
            statsRows(try server.client().result("stats.open", "{\"from\":\"\(today)\",\"to\":\"\(today)\"}"))
                .map { $0["lookups"]?.int64Value }, [22], "the operator's refused read is not counted")
    }
}
