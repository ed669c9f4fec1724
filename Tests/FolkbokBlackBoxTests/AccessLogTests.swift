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
        try c.send(
            line: "[{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(b)\"}},{\"id\":2,\"method\":\"ping\"}]")
        _ = try c.readLine()
        _ = try op.call("person.get", params: "{\"id\":\"\(a)\"}")  // refused: operators read no person data

        let all = try entries(server).filter { $0["method"]?.stringValue != "audit.query" }
        XCTAssertEqual(
            all.map { $0["method"]?.stringValue ?? "" },
            ["person.get", "person.getMany", "person.getMany", "person.getMany", "person.get", "person.get"])
        XCTAssertEqual(
            all.map { $0["outcome"]?.stringValue ?? "" }, ["full", "full", "full", "not_found", "full", "forbidden"])
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
        let queries = try entries(server, "{\"customer\":\"operator\"}").filter {
            $0["method"]?.stringValue == "audit.query"
        }
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
        for i in 0..<50 {
            burst += Array("{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(testNumber(i))\"}}\n".utf8)
        }
        try c.send(burst)
        for _ in 0..<50 { _ = try c.readLine() }
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()

        let again = try RunningServer(directory: directory, customers: testCustomers())
        let logged = try entries(again, "{\"customer\":\"SE2321000016-0001\",\"limit\":1000}")
        XCTAssertEqual(logged.filter { $0["method"]?.stringValue == "person.get" }.count, 50)
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Strict mode under a steady pipeline: answers parked in the event loop's arena (which
    /// grows, is cut at its released front and emptied) each leave with their own person, in
    /// order, and every one has its entry.
    func test_strict_steadyPipeline_eachParkedAnswerIsItsOwnPerson() throws {
        let (server, c) = try serverWithFiftyPersons()
        let total = 4_000
        // The requests go out on the connection's descriptor from another thread while this
        // one reads the answers (the client object itself stays on this thread).
        let fd = c.fd
        let sender = Thread {
            for chunk in stride(from: 0, to: total, by: 100) {
                var lines: [UInt8] = []
                for i in chunk..<(chunk + 100) {
                    lines += Array(
                        "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(testNumber(i % 50))\"}}\n".utf8)
                }
                var offset = 0
                while offset < lines.count {
                    let n = lines.withUnsafeBytes {
                        send(fd, $0.baseAddress! + offset, lines.count - offset, Int32(MSG_NOSIGNAL))
                    }
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return }
                    offset += n
                }
            }
        }
        sender.start()
        for i in 0..<total {
            let line = try XCTUnwrap(try c.readLine(), "answer \(i)")
            let answer = try XCTUnwrap(try JSONParser.parse(line).objectValue)
            XCTAssertEqual(answer["id"]?.int64Value, Int64(i))
            let person = answer["result"]?.objectValue?["id"]?.objectValue?["value"]?.stringValue
            XCTAssertEqual(person, testNumber(i % 50), "answer \(i)")
            if person != testNumber(i % 50) { break }
        }
        let logged = try entries(server, "{\"customer\":\"SE2321000016-0001\",\"limit\":1000}")
        XCTAssertEqual(
            logged.filter { $0["method"]?.stringValue == "person.get" }.count, 1000, "the first page of entries")
    }

    /// Strict mode, one burst of more lines than a connection may have in flight (256): the
    /// loop commits the first ones itself, and the held-back lines it reads as those answers
    /// leave are committed and answered too (they are queued after the end of the turn's
    /// flush, so the turn goes round again rather than sleeping on them).
    func test_strict_burstBeyondTheInFlightLimit_isAnsweredWhole() throws {
        let (server, c) = try serverWithFiftyPersons()
        defer { withExtendedLifetime(server) {} }
        let total = 700
        var burst: [UInt8] = []
        for i in 0..<total {
            burst += Array(
                "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(testNumber(i % 50))\"}}\n".utf8)
        }
        // A loop asleep on held-back lines would leave this read waiting: fail, not hang.
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        try c.send(burst)
        for i in 0..<total {
            let line = try XCTUnwrap(try c.readLine(), "answer \(i)")
            XCTAssertEqual(try JSONParser.parse(line).objectValue?["id"]?.int64Value, Int64(i))
        }
    }

    /// A server (strict log) holding persons 0..<50, and a region's session on it.
    private func serverWithFiftyPersons() throws -> (RunningServer, LineClient) {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<50), tag: "p", file: server.directory + "/a.ndjson"))
        return (server, try server.session())
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
