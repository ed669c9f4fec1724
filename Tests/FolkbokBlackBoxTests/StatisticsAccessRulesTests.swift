import FolkbokJSON
import FolkbokServer
import FolkbokSync
import Foundation
import XCTest

/// Who may read which statistics, with and without a session.
extension StatisticsTests {
    func test_accessRules_ownStatisticsOnly() throws {
        let server = try server()
        let region03 = try server.session(StatsCustomer.region03, purpose: "care", user: nil)
        let other = try region03.failure("stats.get", "{\"customer\":\"\(StatsCustomer.region01)\"}")
        XCTAssertEqual(other["code"]?.int64Value, 4003)
        XCTAssertEqual(other["data"]?.objectValue?["reason"], .string("forbidden"))
        XCTAssertEqual(try region03.errorCode("stats.get", "{\"customer\":\"SE0000000000-9999\"}"), 4003)
        XCTAssertEqual(
            statsRows(
                try region03.result(
                    "stats.get", "{\"customer\":\"\(StatsCustomer.region03)\",\"granularity\":\"year\"}")
            )
            .map { $0["lookups"]?.int64Value }, [3], "naming itself is allowed")

        let op = try server.operatorSession()
        let missing = try op.failure("stats.get", "{}")
        XCTAssertEqual(missing["code"]?.int64Value, -32602)
        XCTAssertTrue((missing["message"]?.stringValue ?? "").contains("customer"), "\(missing)")
        XCTAssertEqual(
            statsRows(
                try op.result("stats.get", "{\"customer\":\"\(StatsCustomer.region01)\",\"granularity\":\"year\"}")
            )
            .map { $0["lookups"]?.int64Value }, [16])
        XCTAssertEqual(try op.errorCode("stats.export", "{\"kind\":\"aggregated\"}"), 4003)
        XCTAssertEqual(try op.errorCode("stats.exports", "{}"), 4003)
        XCTAssertEqual(
            try region03.errorCode("stats.export", "{\"kind\":\"identified\"}"), 4003, "identified needs the config")

        // Without a session: stats.open answers, the rest is 4001 (after param checks).
        let anonymous = try server.client()
        XCTAssertNotNil(try anonymous.result("stats.open", "{}")["rows"])
        XCTAssertEqual(try anonymous.errorCode("stats.get", "{}"), 4001)
        XCTAssertEqual(try anonymous.errorCode("stats.get", "{\"by\":[\"shoeSize\"]}"), -32602, "-32602 before 4001")
        XCTAssertEqual(try anonymous.errorCode("stats.export", "{\"kind\":\"aggregated\"}"), 4001)
        XCTAssertEqual(try anonymous.errorCode("stats.exports", "{}"), 4001)
        XCTAssertEqual(try anonymous.errorCode("stats.fetch", "{\"export\":\"x\"}"), 4001)
        XCTAssertEqual(try anonymous.errorCode("stats.delete", "{\"export\":\"x\"}"), 4001)
    }
}
