import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class ProtocolOverSocketTests: XCTestCase {
    func test_demo_answersPingAndAPerson() throws {
        let server = try RunningServer()
        let c = try server.session()
        let answer = try c.call("person.get", params: "{\"id\":\"\(demoNumber)\"}")
        XCTAssertEqual(answer.result?["id"]?.objectValue?["value"], .string(demoNumber))
        XCTAssertEqual(answer.result?["test"], .bool(true))
        XCTAssertEqual(server.stop(), 0)
    }

    func test_pipelining_answersInOrder() throws {
        let server = try RunningServer()
        let c = try server.session()
        var burst: [UInt8] = []
        for i in 0..<2000 {
            let method = i % 3 == 0 ? "ping" : "person.get"
            burst += Array(
                "{\"id\":\(i),\"method\":\"\(method)\",\"params\":\(method == "ping" ? "{}" : "{\"id\":\"\(demoNumber)\"}")}\n"
                    .utf8)
        }
        try c.send(burst)
        for i in 0..<2000 {
            let line = try XCTUnwrap(try c.readLine())
            let o = try XCTUnwrap(try JSONParser.parse(line).objectValue)
            XCTAssertEqual(o["id"], .number(String(i)))
            XCTAssertNotNil(o["result"])
        }
    }

    func test_malformedLines_getErrors_andConnectionStaysUsable() throws {
        let server = try RunningServer()
        let c = try server.client()
        try c.send(Array("garbage\n{\"id\":1}\n[1,2\n{\"id\":2,\"method\":\"ping\"}\n".utf8))
        let codes = try (0..<4).map { _ in try JSONParser.parse(try XCTUnwrap(try c.readLine())).objectValue! }
        XCTAssertEqual(codes[0].errorCode, -32700)
        XCTAssertEqual(codes[1].errorCode, -32600)
        XCTAssertEqual(codes[2].errorCode, -32700)
        XCTAssertEqual(codes[3].result?["pong"], .bool(true))
    }

    func test_oversizedLine_isRejected_andNextLineWorks() throws {
        let server = try RunningServer(arguments: ["--max-line", "1024"])
        let c = try server.client()
        let huge =
            "{\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + String(repeating: "a", count: 200_000) + "\"}}\n"
        try c.send(Array(huge.utf8) + Array("{\"id\":2,\"method\":\"ping\"}\n".utf8))
        let first = try JSONParser.parse(try XCTUnwrap(try c.readLine())).objectValue!
        XCTAssertEqual(first.errorCode, -32600)
        XCTAssertEqual(first["error"]?.objectValue?["data"]?.objectValue?["reason"], .string("line_too_long"))
        let second = try JSONParser.parse(try XCTUnwrap(try c.readLine())).objectValue!
        XCTAssertEqual(second["id"], .number("2"))
    }

    func test_personDataMethodWithoutSession_isUnauthenticated() throws {
        let server = try RunningServer()
        let answer = try server.client().call("person.get", params: "{\"id\":\"\(demoNumber)\"}")
        XCTAssertEqual(answer.errorCode, 4001)
    }

    func test_twoHundredConcurrentConnections_allAnswered() throws {
        let server = try RunningServer()
        let clients = try (0..<200).map { _ in try server.session() }
        for (i, c) in clients.enumerated() {
            try c.send(line: "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(demoNumber)\"}}")
        }
        for (i, c) in clients.enumerated() {
            let o = try JSONParser.parse(try XCTUnwrap(try c.readLine())).objectValue!
            XCTAssertEqual(o["id"], .number(String(i)))
            XCTAssertNotNil(o.result)
        }
        let info = try server.session("operator", purpose: nil, contract: nil).call("admin.info")
        XCTAssertGreaterThanOrEqual(info.result?["connections"]?.int64Value ?? 0, 201)
    }

    func test_clientThatNeverReads_doesNotStallOthers() throws {
        let server = try RunningServer()
        let stuck = try server.session()
        // Several MB of requests whose answers are never read: the server must pause this client only.
        let line = Array("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(demoNumber)\"}}\n".utf8)
        var burst: [UInt8] = []
        for _ in 0..<2000 { burst += line }
        _ = fcntl(stuck.fd, F_SETFL, fcntl(stuck.fd, F_GETFL) | O_NONBLOCK)
        var sent = 0
        let deadline = Date().addingTimeInterval(5)
        // Write until the kernel refuses more: the server has stopped reading this connection.
        while Date() < deadline {
            let n = burst.withUnsafeBytes { send(stuck.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
            } else if errno == EAGAIN {
                usleep(100_000)
                if burst.withUnsafeBytes({ send(stuck.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) < 0 {
                    break
                }
            } else {
                break
            }
        }
        XCTAssertGreaterThan(sent, 1 << 17, "the stuck client filled its socket: the server stopped reading it")
        let other = try server.session()
        for _ in 0..<50 {
            XCTAssertNotNil(try other.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result)
        }
    }

    func test_socketFile_hasMode0660() throws {
        let server = try RunningServer()
        let attributes = try FileManager.default.attributesOfItem(atPath: server.socketPath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o660)
    }

    func test_liveSocket_isRefused_staleSocketIsReplaced() throws {
        let first = try RunningServer()
        let second = try runFolkbok(["serve", "--socket", first.socketPath, "--data", first.directory + "/data2"])
        XCTAssertNotEqual(second.status, 0)
        XCTAssertTrue(second.err.contains("already listening"), second.err)
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.socketPath), "kill -9 leaves the socket file behind")
        let restarted = try RunningServer(directory: first.directory)
        XCTAssertNotNil(try restarted.client().call("ping").result)
    }

    func test_sigterm_answersWhatWasRead_thenExitsZero() throws {
        let server = try RunningServer()
        let c = try server.session()
        var burst: [UInt8] = []
        for i in 0..<500 {
            burst += Array("{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(demoNumber)\"}}\n".utf8)
        }
        try c.send(burst)
        _ = try c.readLine()
        kill(server.process.processIdentifier, SIGTERM)
        var answered = 1
        while let line = try c.readLine() {
            XCTAssertNotNil(try JSONParser.parse(line).objectValue?.result)
            answered += 1
        }
        XCTAssertEqual(answered, 500)
        server.process.waitUntilExit()
        XCTAssertEqual(server.process.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.socketPath))
    }
}
