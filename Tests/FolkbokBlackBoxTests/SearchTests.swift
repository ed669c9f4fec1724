import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class SearchTests: XCTestCase {
    /// One import line with the fields search looks at.
    func line(
        _ n: Int, given: String, surname: String, street: String = "Storgatan 1", postal: String = "11122",
        municipality: String = "0180", protection: String = "none"
    ) -> String {
        """
        {"id":{"kind":"personnummer","value":"\(testNumber(n))"},"name":{"given":"\(given)","surname":"\(surname)"},\
        "address":{"street":"\(street)","postalCode":"\(postal)","city":"STOCKHOLM"},"county":"01","municipality":"\(municipality)","protection":"\(protection)"}
        """
    }

    func ids(_ result: JSONObject) -> [String] {
        (result["results"]?.arrayValue ?? []).compactMap { $0.objectValue?.identityValue("id") }
    }

    func test_search_rules_throughTheSocket() throws {
        let server = try RunningServer(customers: administrationCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let lines = [
            line(0, given: "Åsa Maria", surname: "Öberg"),
            line(1, given: "Anna-Karin", surname: "Andersson", street: "Ängsvägen 3", postal: "12345"),
            line(2, given: "Olle", surname: "Oberg"),
            line(3, given: "Åsa", surname: "Öberg", protection: "skyddad"),
            line(4, given: "René", surname: "Andersén", municipality: "0114"),
            line(5, given: "Sven", surname: "Anderberg", protection: "sekretess"),
        ]
        let file = server.directory + "/s.ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try op.result("admin.import", "{\"path\":\"\(file)\",\"region\":\"01\"}")["rejected"]?.int64Value, 0)
        let c = try server.session("SE2321000016-0001", purpose: "care", contract: "extended")

        // Case-insensitive, ö is its own letter (Öberg is not Oberg), protected hits limited, ordered by identity.
        let oberg = try c.result("person.search", "{\"surname\":\"ÖBERG\"}")
        XCTAssertEqual(ids(oberg), [testNumber(0), testNumber(3)])
        let hits = (oberg["results"]?.arrayValue ?? []).compactMap(\.objectValue)
        XCTAssertNil(hits[0]["limited"])
        XCTAssertEqual(hits[1]["limited"], .bool(true))
        XCTAssertEqual(oberg["cursor"], .null)
        XCTAssertEqual(ids(try c.result("person.search", "{\"surname\":\"oberg\"}")), [testNumber(2)])
        // Any given name; hyphenated names are one name; é folds to e; prefix with *.
        XCTAssertEqual(ids(try c.result("person.search", "{\"given\":\"maria\"}")), [testNumber(0)])
        XCTAssertEqual(ids(try c.result("person.search", "{\"given\":\"anna-karin\"}")), [testNumber(1)])
        XCTAssertEqual(ids(try c.result("person.search", "{\"surname\":\"andersen\"}")), [testNumber(4)])
        XCTAssertEqual(ids(try c.result("person.search", "{\"surname\":\"Ander*\"}")), [1, 4, 5].map(testNumber))
        // Address criteria never match a protected person; AND of criteria.
        XCTAssertEqual(ids(try c.result("person.search", "{\"postalCode\":\"111 22\"}")), [0, 2, 4].map(testNumber))
        XCTAssertEqual(
            ids(try c.result("person.search", "{\"municipality\":\"0180\",\"surname\":\"Öberg\"}")), [testNumber(0)])
        XCTAssertEqual(ids(try c.result("person.search", "{\"street\":\"ängsvägen*\"}")), [testNumber(1)])
        // Paging with a cursor gives every hit once, in order.
        var seen: [String] = []
        var cursor = "null"
        repeat {
            let page = try c.result("person.search", "{\"birthDate\":\"1980\",\"limit\":2,\"cursor\":\(cursor)}")
            seen += ids(page)
            cursor = page["cursor"]?.stringValue.map { "\"\($0)\"" } ?? "null"
        } while cursor != "null" && seen.count < 20
        XCTAssertEqual(seen, (0..<6).map(testNumber))

        // Bad params.
        XCTAssertEqual(try c.errorCode("person.search", "{}"), -32602)
        XCTAssertEqual(try c.errorCode("person.search", "{\"surname\":\"A\",\"limit\":501}"), -32602)
        XCTAssertEqual(try c.errorCode("person.search", "{\"birthDate\":\"19x0\"}"), -32602)
        XCTAssertEqual(try c.errorCode("person.search", "{\"surname\":\"A\",\"cursor\":\"!!\"}"), -32602)
        XCTAssertEqual(try server.client().errorCode("person.search", "{\"surname\":\"A\"}"), 4001)
        XCTAssertEqual(try op.errorCode("person.search", "{\"surname\":\"A\"}"), 4003)
        // Each hit is logged.
        let logged =
            try op.result("audit.query", "{\"customer\":\"SE2321000016-0001\",\"limit\":500}")["entries"]?.arrayValue
            ?? []
        XCTAssertEqual(
            logged.filter {
                $0.objectValue?["method"]?.stringValue == "person.search"
                    && $0.objectValue?.identityValue("person") == testNumber(3)
            }.count, 2, "the ÖBERG search and one page of the birth-year search")
    }

    /// A restart from a snapshot answers before its search index is built (it builds beside
    /// serving and logs `search.ready`): a search sent at once still finds exactly what was
    /// there before the restart.
    func test_searchRightAfterARestart_findsWhatTheSnapshotHolds() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = (0..<40).map { line($0, given: $0 % 4 == 0 ? "Märta" : "Olle", surname: "Öberg") }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: directory + "/s.ndjson", atomically: true, encoding: .utf8)
        let criteria = [
            "{\"given\":\"märta\"}", "{\"surname\":\"öberg\",\"limit\":100}",
            "{\"postalCode\":\"11122\",\"limit\":100}",
        ]
        var before: [[String]] = []
        do {
            let server = try RunningServer(directory: directory, customers: administrationCustomers())
            let op = try server.session("operator", purpose: nil, contract: nil)
            let imported = try op.result("admin.import", "{\"path\":\"\(directory)/s.ndjson\",\"region\":\"01\"}")
            XCTAssertEqual(imported["rejected"]?.int64Value, 0)
            XCTAssertNotNil(try op.result("admin.snapshot", "{}")["lsn"])
            let c = try server.session("SE2321000016-0001", purpose: "care", contract: "extended")
            before = try criteria.map { ids(try c.result("person.search", $0)) }
            XCTAssertEqual(before[0].count, 10)
            XCTAssertEqual(server.stop(), 0)
        }
        let server = try RunningServer(directory: directory, customers: administrationCustomers())
        let c = try server.session("SE2321000016-0001", purpose: "care", contract: "extended")
        XCTAssertEqual(try criteria.map { ids(try c.result("person.search", $0)) }, before)
        XCTAssertEqual(server.stop(), 0)
        XCTAssertTrue(server.stderrText.contains("search index ready in"), "logged once built")
    }
}
