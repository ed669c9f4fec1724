import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Malformed and null params of every statistics method, against `StatisticsTests`' server:
/// always -32602 naming the param, never a crash, never a change to the counts.
extension StatisticsTests {
    func test_malformedParams_areInvalidParams_namingTheParam_andNeverCrash() throws {
        let server = try server()
        let region01 = try server.session(StatsCustomer.region01, purpose: "care", user: nil)
        let anonymous = try server.client()
        // (method, params, the param the message must name)
        let table: [(String, String, String)] = [
            ("stats.open", "{\"from\":20260101}", "from"),
            ("stats.open", "{\"from\":\"2026-13-01\"}", "from"),
            ("stats.open", "{\"to\":\"2026-02-30\"}", "to"),
            ("stats.open", "{\"to\":\"2026-1-01\"}", "to"),
            ("stats.open", "{\"from\":\"yesterday\"}", "from"),
            ("stats.open", "{\"from\":\"2026-05-02\",\"to\":\"2026-05-01\"}", "to"),
            ("stats.open", "{\"granularity\":\"hour\"}", "granularity"),
            ("stats.open", "{\"granularity\":\"week\"}", "granularity"),
            ("stats.open", "{\"granularity\":1}", "granularity"),
            ("stats.open", "{\"by\":\"method\"}", "by"),
            ("stats.open", "{\"by\":[\"user\"]}", "by"),
            ("stats.open", "{\"by\":[\"purpose\"]}", "by"),
            ("stats.open", "{\"by\":[\"method\",\"method\"]}", "by"),
            ("stats.open", "{\"by\":[\"shoeSize\"]}", "by"),
            ("stats.open", "{\"by\":[1]}", "by"),
            ("stats.open", "{\"format\":\"xml\"}", "format"),
            ("stats.open", "{\"format\":true}", "format"),
            ("stats.open", "{\"bogus\":1}", "bogus"),
            ("stats.open", "{\"sessions\":true}", "sessions"),
            ("stats.open", "{\"customer\":\"\(StatsCustomer.region01)\"}", "customer"),
            ("stats.get", "{\"sessions\":\"yes\"}", "sessions"),
            ("stats.get", "{\"customer\":5}", "customer"),
            ("stats.get", "{\"format\":\"csv\"}", "format"),
            ("stats.get", "{\"granularity\":\"minute\"}", "granularity"),
            ("stats.get", "{\"by\":[\"user\",\"user\"]}", "by"),
            ("stats.get", "{\"by\":[\"person\"]}", "by"),
            ("stats.get", "{\"from\":\"2026-00-10\"}", "from"),
            ("stats.get", "{\"from\":\"2026-11-23\",\"to\":\"2025-11-23\"}", "to"),
            ("stats.export", "{}", "kind"),
            ("stats.export", "{\"kind\":\"everything\"}", "kind"),
            ("stats.export", "{\"kind\":5}", "kind"),
            ("stats.export", "{\"kind\":\"aggregated\",\"by\":[\"nope\"]}", "by"),
            ("stats.export", "{\"kind\":\"aggregated\",\"format\":\"csv\"}", "format"),
            ("stats.export", "{\"kind\":\"pseudonymised\",\"from\":\"2026-13-01\"}", "from"),
            ("stats.export", "{\"kind\":\"aggregated\",\"granularity\":\"decade\"}", "granularity"),
            ("stats.fetch", "{}", "export"),
            ("stats.fetch", "{\"export\":5}", "export"),
            ("stats.fetch", "{\"export\":\"abc\",\"extra\":1}", "extra"),
            ("stats.delete", "{}", "export"),
            ("stats.delete", "{\"export\":[]}", "export"),
            ("stats.exports", "{\"bogus\":1}", "bogus"),
        ]
        for (method, params, named) in table {
            for client in method == "stats.open" ? [anonymous, region01] : [region01] {
                let error = try client.failure(method, params)
                XCTAssertEqual(error["code"]?.int64Value, -32602, "\(method) \(params): \(error)")
                XCTAssertEqual(error["data"]?.objectValue?["reason"], .string("invalid_params"), "\(method) \(params)")
                let message = error["message"]?.stringValue ?? ""
                XCTAssertTrue(
                    message.contains(named), "\(method) \(params): message \"\(message)\" should name \(named)")
            }
        }
        // Params that are not an object.
        for method in ["stats.open", "stats.get", "stats.export", "stats.fetch", "stats.exports", "stats.delete"] {
            XCTAssertEqual(try region01.errorCode(method, "[1]"), -32602, method)
            XCTAssertEqual(try region01.errorCode(method, "\"x\""), -32602, method)
        }
        XCTAssertEqual(try region01.result("ping", "{}")["pong"], .bool(true))
        XCTAssertEqual(try server.client().result("ping", "{}")["pong"], .bool(true))
        XCTAssertTrue(server.process.isRunning)
        // The counts did not move.
        XCTAssertEqual(
            statsRows(try region01.result("stats.get", "{\"granularity\":\"year\"}")).map { $0["lookups"]?.int64Value },
            [16])
    }

    /// A `null` param counts as absent, as elsewhere in the protocol.
    func test_nullParams_meanDefaults() throws {
        let region01 = try server().session(StatsCustomer.region01, purpose: "care", user: nil)
        let answer = try region01.result(
            "stats.get", "{\"from\":null,\"to\":null,\"granularity\":null,\"by\":null,\"sessions\":null}")
        XCTAssertEqual(statsRows(answer).reduce(0) { $0 + ($1["lookups"]?.int64Value ?? 0) }, 16)
    }
}
