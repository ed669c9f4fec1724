import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Export expiry (`--export-ttl 2`) and the default suppression threshold (5), on one server.
final class StatisticsExpiryTests: XCTestCase {
    static let persons = (0..<5).map {
        StatsPerson(1980 + $0, 4, 1 + $0, serial: 301 + $0, sex: $0 % 2 == 0 ? "F" : "M", surname: "Utgång")
    }

    func startServer(directory: String? = nil, importing: Bool = true) throws -> RunningServer {
        let server = try RunningServer(
            directory: directory, arguments: ["--export-ttl", "2"], customers: statisticsCustomers())
        if importing { try server.importStatsPersons(try server.operatorSession(), Self.persons, region: "01") }
        return server
    }

    /// An export's files are 0600; past its expiry fetch is 4004 `expired`, it leaves the list,
    /// and its rows file is deleted from disk; it is still `expired` after a restart.
    func test_expiredExport_isGone_fromListAndDisk_andAnswersExpired() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = try startServer(directory: directory)
        let r1 = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        _ = try r1.result("person.get", "{\"id\":\"\(Self.persons[0].number)\"}")
        let made = try r1.result("stats.export", "{\"kind\":\"pseudonymised\"}")
        let id = try XCTUnwrap(made["export"]?.stringValue)
        let created = try XCTUnwrap(isoDate(made["created"]?.stringValue))
        XCTAssertEqual(
            try XCTUnwrap(isoDate(made["expiresAt"]?.stringValue)).timeIntervalSince(created), 2, accuracy: 0.001)

        let files = server.exportFiles
        XCTAssertTrue(files.contains(id + ".rows"), "\(files)")
        for name in files {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: server.directory + "/data/exports/" + name)
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, name)
        }
        XCTAssertEqual(rowsFetched(r1, id), 1, "fetchable before expiry")

        // Past the expiry: expired, whether or not the file is gone yet.
        usleep(UInt32(max(0, created.addingTimeInterval(2.2).timeIntervalSinceNow) * 1_000_000))
        let expired = try r1.failure("stats.fetch", "{\"export\":\"\(id)\"}")
        XCTAssertEqual(expired["code"]?.int64Value, 4004)
        XCTAssertEqual(expired["data"]?.objectValue?["reason"], .string("expired"))
        XCTAssertEqual(try r1.result("stats.exports", "{}")["exports"]?.arrayValue?.count, 0)

        XCTAssertTrue(
            eventually(within: 5) { !server.exportFiles.contains(id + ".rows") },
            "the file is deleted: \(server.exportFiles)")
        let later = try r1.failure("stats.fetch", "{\"export\":\"\(id)\"}")
        XCTAssertEqual(later["code"]?.int64Value, 4004)
        XCTAssertEqual(
            later["data"]?.objectValue?["reason"], .string("expired"), "still expired after the file is gone")
        XCTAssertEqual(try r1.errorCode("stats.delete", "{\"export\":\"\(id)\"}"), 4004)
        XCTAssertEqual(try r1.result("stats.exports", "{}")["exports"]?.arrayValue?.count, 0)

        XCTAssertEqual(server.stop(), 0)
        server = try startServer(directory: directory, importing: false)
        let restarted = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        XCTAssertEqual(try restarted.failure("stats.fetch", "{\"export\":\"\(id)\"}")["code"]?.int64Value, 4004)
        XCTAssertEqual(try restarted.result("stats.exports", "{}")["exports"]?.arrayValue?.count, 0)
        XCTAssertFalse(server.exportFiles.contains(id + ".rows"))
    }

    /// The default threshold is 5: a cell of 4 is suppressed, one of 5 is shown.
    func test_defaultThreshold_isFive() throws {
        let server = try startServer()
        let r1 = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        for p in Self.persons.prefix(4) { _ = try r1.result("person.get", "{\"id\":\"\(p.number)\"}") }
        _ = try r1.result(
            "person.getMany", "{\"ids\":[" + Self.persons.map { "\"\($0.number)\"" }.joined(separator: ",") + "]}")
        let open = try server.client().result("stats.open", statsParams(by: ["method"], "\"granularity\":\"year\""))
        XCTAssertEqual(open["threshold"]?.int64Value, 5)
        XCTAssertEqual(statsCells(open, ["method"]).map(\.key), ["person.get", "person.getMany"])
        XCTAssertEqual(statsCells(open, ["method"]).map(\.lookups), [nil, 5])
        XCTAssertEqual(statsRows(open).map { $0["suppressed"] }, [.bool(true), nil])
        XCTAssertEqual(
            statsCells(try server.client().result("stats.open", "{\"granularity\":\"year\"}"), []).map(\.lookups), [9])
    }

    func rowsFetched(_ client: LineClient, _ export: String) -> Int {
        (try? client.stream("stats.fetch", "{\"export\":\"\(export)\"}").lines.count) ?? -1
    }
}
