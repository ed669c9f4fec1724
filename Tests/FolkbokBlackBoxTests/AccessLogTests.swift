import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class AccessLogTests: XCTestCase {
    func entries(_ server: RunningServer, _ params: String = "{}") throws -> [JSONObject] {
        let op = try server.session("operator", purpose: nil, contract: nil)
        let answer = try op.call("audit.query", params: params)
        return (answer.result?["entries"]?.arrayValue ?? []).compactMap(\.objectValue)
    }

    /// Each disclosing method, a batch and a refusal produce exactly the expected entries.
    func test_everyDisclosure_isLoggedOncePerPerson() throws {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<3), tag: "Logged", file: server.directory + "/a.ndjson"))
        let (a, b, missing) = (testNumber(0), testNumber(1), testNumber(999))
        let c = try server.session("SE2321000016-0001", purpose: "care", contract: "extended")
        _ = try c.call("person.get", params: "{\"id\":\"\(a)\",\"profile\":\"P1\"}")
        _ = try c.call("person.getMany", params: "{\"ids\":[\"\(a)\",\"\(b)\",\"\(missing)\",\"garbage\"]}")
        try c.send(line: "[{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(b)\"}},{\"id\":2,\"method\":\"ping\"}]")
        _ = try c.readLine()
        _ = try op.call("person.get", params: "{\"id\":\"\(a)\"}")  // refused: operators read no person data

        let all = try entries(server).filter { $0["method"]?.stringValue != "audit.query" }
        XCTAssertEqual(all.map { $0["method"]?.stringValue ?? "" },
                       ["person.get", "person.getMany", "person.getMany", "person.getMany", "person.get", "person.get"])
        XCTAssertEqual(all.map { $0["outcome"]?.stringValue ?? "" }, ["full", "full", "full", "not_found", "full", "forbidden"])
        XCTAssertEqual(all[0]["customer"], .string("SE2321000016-0001"))
        XCTAssertEqual(all[0]["contract"], .string("extended"))
        XCTAssertEqual(all[0]["purpose"], .string("care"))
        XCTAssertEqual(all[0]["profile"], .string("P1"))
        XCTAssertEqual(all[0]["person"]?.objectValue?["value"], .string(a))
        XCTAssertEqual(all[3]["resolved"], .null)
        XCTAssertEqual(all[5]["customer"], .string("operator"))
        let seqs = all.compactMap { $0["seq"]?.int64Value }
        XCTAssertEqual(seqs, seqs.sorted())

        // By person: only that person's entries; the query itself is logged.
        let forA = try entries(server, "{\"person\":\"\(a)\"}")
        XCTAssertTrue(forA.allSatisfy { $0["person"]?.objectValue?["value"] == .string(a) })
        XCTAssertEqual(forA.filter { $0["method"]?.stringValue != "audit.query" }.count, 3)
        let queries = try entries(server, "{\"customer\":\"operator\"}").filter { $0["method"]?.stringValue == "audit.query" }
        XCTAssertGreaterThanOrEqual(queries.count, 2)

        let verify = try op.call("audit.verify").result
        XCTAssertEqual(verify?["valid"], .bool(true))
        XCTAssertEqual(verify?["firstBroken"], .null)
    }

    /// Strict mode: an answer the client received has its entry on disk, even through kill -9.
    func test_killDashNine_afterAnswers_losesNoEntry() throws {
        let directory = RunningServer.makeDirectory()
        let server = try RunningServer(directory: directory, customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<50), tag: "x", file: directory + "/a.ndjson"))
        let c = try server.session()
        var burst: [UInt8] = []
        for i in 0..<50 { burst += Array("{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(testNumber(i))\"}}\n".utf8) }
        try c.send(burst)
        for _ in 0..<50 { _ = try c.readLine() }
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()

        let again = try RunningServer(directory: directory, customers: testCustomers())
        let logged = try entries(again, "{\"customer\":\"SE2321000016-0001\",\"limit\":1000}")
        XCTAssertEqual(logged.filter { $0["method"]?.stringValue == "person.get" }.count, 50)
        try? FileManager.default.removeItem(atPath: directory)
    }

    func test_retentionBelowFiveYears_isAStartUpError() throws {
        let r = try runFolkbok(["serve", "--audit-retention", "365"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.err.contains("five years"), r.err)
    }

    func test_auditMethods_needAnOperator() throws {
        let server = try RunningServer(customers: testCustomers())
        XCTAssertEqual(try server.client().call("audit.query").errorCode, 4001)
        XCTAssertEqual(try server.session().call("audit.verify").errorCode, 4003)
    }
}
