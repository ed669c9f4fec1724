import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Counters and ended sessions through SIGTERM, kill -9 and a snapshot; exports survive restarts.
final class StatisticsRestartTests: XCTestCase {
    static let persons = (0..<5).map {
        StatsPerson(1960 + $0 * 10, 8, 1 + $0, serial: 401 + $0, sex: $0 % 2 == 0 ? "F" : "M", surname: "Omstart")
    }

    func start(_ directory: String) throws -> RunningServer {
        try RunningServer(directory: directory, customers: statisticsCustomers())
    }

    /// Region 01's statistics read by the operator (whose sessions are never counted).
    func statistics(_ server: RunningServer, _ params: String = "") throws -> JSONObject {
        try server.operatorSession().result(
            "stats.get", "{\"customer\":\"\(StatsCustomer.region01)\",\"granularity\":\"year\"\(params)}")
    }

    func total(_ server: RunningServer) throws -> Int64 {
        statsRows(try statistics(server)).reduce(0) { $0 + ($1["lookups"]?.int64Value ?? 0) }
    }

    /// `user: sessions` of the ended sessions.
    func sessions(_ server: RunningServer) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in (try statistics(server, ",\"sessions\":true")["sessions"]?.arrayValue ?? []).compactMap(
            \.objectValue)
        {
            counts[row["user"]?.stringValue ?? "null", default: 0] += row["sessions"]?.int64Value ?? 0
        }
        return counts
    }

    /// The invariant: today's counted lookups of region 01 = its access-log entries of the counted methods.
    func assertInvariant(_ server: RunningServer, _ moment: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let today = utcToday()
        let op = try server.operatorSession()
        let logged = try auditEntries(op, customer: StatsCustomer.region01, day: today).filter {
            countedMethods.contains($0["method"]?.stringValue ?? "")
        }
        let rows = statsRows(
            try op.result(
                "stats.get", "{\"customer\":\"\(StatsCustomer.region01)\",\"from\":\"\(today)\",\"to\":\"\(today)\"}"))
        XCTAssertEqual(
            rows.reduce(0) { $0 + ($1["lookups"]?.int64Value ?? 0) }, Int64(logged.count), moment, file: file,
            line: line)
    }

    /// Sends `count` person.get requests at once on `client` and reads every answer.
    func burst(_ client: LineClient, _ count: Int) throws {
        var bytes: [UInt8] = []
        for i in 0..<count {
            bytes += Array(
                "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(Self.persons[i % 5].number)\"}}\n".utf8)
        }
        try client.send(bytes)
        for _ in 0..<count {
            let line = try XCTUnwrap(client.readLine())
            XCTAssertTrue(String(decoding: line, as: UTF8.self).contains("\"result\""))
        }
    }

    func test_countsAndSessions_surviveSigterm_killDashNine_andSnapshot() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = try start(directory)
        try server.importStatsPersons(try server.operatorSession(), Self.persons, region: "01")

        // Sessions: one ended by its connection closing, one without a user, one replaced by a
        // second session.open (held about 1.2 s), one still open at shutdown.
        let u1 = try server.session(StatsCustomer.region01, purpose: "care", user: "u1")
        try burst(u1, 5)
        u1.hangUp()
        let anonymous = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        anonymous.hangUp()
        let replaced = try server.session(StatsCustomer.region01, purpose: "care", user: "u2")
        usleep(1_200_000)
        _ = try replaced.result(
            "session.open",
            "{\"customer\":\"\(StatsCustomer.region01)\",\"purpose\":\"care\",\"contract\":\"normal\",\"user\":\"u3\"}")
        _ = try replaced.result("person.get", "{\"id\":\"\(Self.persons[0].number)\"}")
        // An operator's session is never counted.
        try server.operatorSession().hangUp()
        let ended = try eventually(within: 5) { try sessions(server) == ["null": 1, "u1": 1, "u2": 1] }
        XCTAssertTrue(ended, "ended sessions: \(String(describing: try? sessions(server)))")
        let rows = (try statistics(server, ",\"sessions\":true")["sessions"]?.arrayValue ?? []).compactMap(
            \.objectValue)
        XCTAssertEqual(
            rows.map { $0["user"]?.stringValue ?? "null" }, ["null", "u1", "u2"], "null first, then by user")
        for row in rows {
            XCTAssertEqual(row.keys, ["period", "user", "sessions", "seconds"])
            XCTAssertEqual(row["period"], .string(String(utcToday().prefix(4))))
        }
        XCTAssertEqual(rows[0]["seconds"]?.int64Value, 0)
        let held = try XCTUnwrap(rows[2]["seconds"]?.int64Value)
        XCTAssertTrue((1...3).contains(held), "u2 held about 1.2 s: \(held)")
        XCTAssertEqual(try total(server), 6)
        let export = try XCTUnwrap(
            replaced.result("stats.export", "{\"kind\":\"pseudonymised\"}")["export"]?.stringValue)
        try assertInvariant(server, "before SIGTERM")

        // SIGTERM: u3's session ends with the server and counts.
        XCTAssertEqual(server.stop(), 0)
        server = try start(directory)
        XCTAssertEqual(try total(server), 6)
        XCTAssertEqual(statsTotals(try statistics(server, ",\"by\":[\"user\"]"), ["user"]), ["u1": 5, "u3": 1])
        XCTAssertEqual(try sessions(server), ["null": 1, "u1": 1, "u2": 1, "u3": 1])
        try assertInvariant(server, "after SIGTERM")
        // The export survived the restart.
        let r1 = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        XCTAssertEqual(
            (try r1.result("stats.exports", "{}")["exports"]?.arrayValue ?? []).compactMap {
                $0.objectValue?["export"]?.stringValue
            }, [export])
        XCTAssertEqual(try r1.stream("stats.fetch", "{\"export\":\"\(export)\"}").lines.count, 6)

        // kill -9 after acknowledged lookups: all counted; the sessions it cut are not.
        let u4 = try server.session(StatsCustomer.region01, purpose: "care", user: "u4")
        try burst(u4, 20)
        server.killDashNine()
        server = try start(directory)
        XCTAssertEqual(try total(server), 26)
        XCTAssertEqual(
            statsTotals(try statistics(server, ",\"by\":[\"user\"]"), ["user"]), ["u1": 5, "u3": 1, "u4": 20])
        XCTAssertEqual(try sessions(server), ["null": 1, "u1": 1, "u2": 1, "u3": 1])
        try assertInvariant(server, "after kill -9")

        // A session ends, a snapshot (which waits for the session journal), more lookups in a
        // session still open, kill -9 again. (An ended session is journalled shortly after it is
        // counted, so only a snapshot or shutdown makes it certain to survive a crash.)
        let u5 = try server.session(StatsCustomer.region01, purpose: "care", user: "u5")
        try burst(u5, 7)
        u5.hangUp()
        XCTAssertTrue(try eventually(within: 5) { try sessions(server)["u5"] == 1 })
        _ = try server.operatorSession().result("admin.snapshot", "{}")
        let u6 = try server.session(StatsCustomer.region01, purpose: "care", user: "u6")
        try burst(u6, 3)
        server.killDashNine()
        server = try start(directory)
        XCTAssertEqual(try total(server), 36)
        XCTAssertEqual(
            statsTotals(try statistics(server, ",\"by\":[\"user\"]"), ["user"]),
            ["u1": 5, "u3": 1, "u4": 20, "u5": 7, "u6": 3])
        XCTAssertEqual(
            try sessions(server), ["null": 1, "u1": 1, "u2": 1, "u3": 1, "u5": 1], "u6 was cut by the crash")
        try assertInvariant(server, "after snapshot and kill -9")
        let open = try server.client().result("stats.open", "{\"granularity\":\"year\"}")
        XCTAssertEqual(statsRows(open).map { $0["lookups"]?.int64Value }, [36])
    }
}
