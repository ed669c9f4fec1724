import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The transport limits and the bugs of issue 18's "Fix first" list that live in the request
/// path: a parameter that trapped the server, a request that waited for more input, and the
/// caps on connections, unfinished lines and stalled lines (docs/PROTOCOL.md "Transport").
final class ConnectionLimitsTests: XCTestCase {
    func test_limitBeyondInt64_withoutSession_isInvalidParams_andServerLives() throws {
        let server = try RunningServer()
        let c = try server.client()
        try c.setReadTimeout(seconds: 10)
        for (method, params) in [
            ("person.search", "{\"surname\":\"Andersson\",\"limit\":9223372036854775808}"),
            ("person.search", "{\"surname\":\"Andersson\",\"limit\":-9223372036854775809}"),
            ("audit.query", "{\"limit\":18446744073709551616}"),
        ] {
            let answer = try c.call(method, params: params)
            XCTAssertEqual(answer.errorCode, -32602, "\(method) \(params)")
        }
        XCTAssertEqual(try server.client().call("ping").result?["pong"], .bool(true))
        XCTAssertEqual(server.stop(), 0)
    }

    /// A client that sent one batch whose answer passes the 4 MiB output limit, then a ping
    /// with id `pingID`, in one write.
    func clientAfterBigBatch(on server: RunningServer, pingID: String) throws -> LineClient {
        let c = try server.client()
        try c.setReadTimeout(seconds: 20)
        let batch = "[" + Array(repeating: "1", count: 32_000).joined(separator: ",") + "]\n"
        try c.send(Array((batch + "{\"id\":\"\(pingID)\",\"method\":\"ping\"}\n").utf8))
        return c
    }

    func test_batchAnsweredPastTheOutputLimit_thenPing_isAnsweredWithoutMoreInput() throws {
        let server = try RunningServer()
        let c = try clientAfterBigBatch(on: server, pingID: "after")
        let answers = try XCTUnwrap(try c.readLine(), "the batch is answered")
        XCTAssertGreaterThan(answers.count, 4 << 20, "the batch's answer passes the 4 MiB output limit")
        XCTAssertEqual(try JSONParser.parse(answers).arrayValue?.count, 32_000)
        let pong = try XCTUnwrap(try c.readLine(), "the ping after the batch is answered without more input")
        XCTAssertEqual(try JSONParser.parse(pong).objectValue?["id"], .string("after"))
    }

    func test_requestsReadBeforeTheClientStopsWriting_areAllAnswered() throws {
        let server = try RunningServer()
        let c = try clientAfterBigBatch(on: server, pingID: "last")
        shutdown(c.fd, Int32(SHUT_WR))
        _ = try XCTUnwrap(try c.readLine())
        let pong = try XCTUnwrap(try c.readLine(), "answered before the connection closes")
        XCTAssertEqual(try JSONParser.parse(pong).objectValue?["id"], .string("last"))
        XCTAssertNil(try c.readLine(), "then the server closes")
    }

    /// A connection the server answers, retried for up to 10 s: a connection closed just
    /// before (the start-up probe's, a dropped one) counts until the server has seen it close.
    func servedClient(_ server: RunningServer) -> LineClient? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let c = try? server.client(), (try? c.call("ping"))?.result != nil { return c }
            usleep(20_000)
        }
        return nil
    }

    func test_oneConnectionOverTheLimit_getsTooManyConnections_andIsClosed() throws {
        let server = try RunningServer(arguments: ["--max-connections", "3"])
        var clients: [LineClient] = []
        for _ in 0..<3 { clients.append(try XCTUnwrap(servedClient(server), "three connections are served")) }
        let extra = try server.client()
        try extra.setReadTimeout(seconds: 10)
        let line = try XCTUnwrap(try extra.readLine(), "the extra connection is told why")
        let error = try XCTUnwrap(try JSONParser.parse(line).objectValue?["error"]?.objectValue)
        XCTAssertEqual(error["code"], .number("5003"))
        XCTAssertEqual(error["data"]?.objectValue?["reason"], .string("too_many_connections"))
        XCTAssertNil(try extra.readLine(), "and closed")
        clients.removeLast()
        XCTAssertNotNil(servedClient(server), "a connection freed is a connection available")
        XCTAssertEqual(try clients[0].call("ping").result?["pong"], .bool(true))
    }

    /// `--max-connection-rate`: connections past the burst wait in the backlog and are taken
    /// at the rate, none refused or lost. The bound is an upper one, so a slow machine passes.
    func test_connectionsPastTheRate_waitTheirTurn_andAreAllServed() throws {
        let rate = 20.0
        let server = try RunningServer(arguments: ["--loops", "1", "--max-connection-rate", "\(Int(rate))"])
        sleep(2)  // the start-up probe's token is back
        let start = Date()
        var clients: [LineClient] = []
        for i in 0..<100 {
            let c = try server.client()
            try c.send(Array("{\"id\":\(i),\"method\":\"ping\"}\n".utf8))
            clients.append(c)
        }
        usleep(500_000)
        let answered = clients.filter { c in
            var p = pollfd(fd: c.fd, events: Int16(POLLIN), revents: 0)
            return poll(&p, 1, 0) == 1
        }.count
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertLessThanOrEqual(
            Double(answered), rate + rate * elapsed + 2, "at most the burst and the rate are taken")
        XCTAssertLessThan(answered, 100)
        for (i, c) in clients.enumerated() {
            try c.setReadTimeout(seconds: 30)
            let line = try XCTUnwrap(try c.readLine(), "connection \(i) is served in its turn")
            XCTAssertEqual(try JSONParser.parse(line).objectValue?.result?["pong"], .bool(true))
        }
    }

    func test_unfinishedLinesOverTheInputLimit_closeTheLongest_andSpareTheRest() throws {
        let server = try RunningServer(arguments: ["--max-line", "100000", "--max-input-memory", "150000"])
        let small = try (0..<2).map { _ in try server.client() }
        for c in small {
            try c.setReadTimeout(seconds: 10)
            try c.send(Array(repeating: UInt8(ascii: "x"), count: 40_000))
        }
        let big = try server.client()
        try big.setReadTimeout(seconds: 10)
        try big.send(Array(repeating: UInt8(ascii: "x"), count: 99_000))
        let line = try XCTUnwrap(try big.readLine(), "the longest unfinished line is refused")
        XCTAssertEqual(
            try JSONParser.parse(line).objectValue?["error"]?.objectValue?["data"]?.objectValue?["reason"],
            .string("line_too_long"))
        XCTAssertNil(try big.readLine(), "and its connection closed")
        for c in small {
            try c.send(Array("\n{\"id\":2,\"method\":\"ping\"}\n".utf8))
            XCTAssertEqual(try JSONParser.parse(try XCTUnwrap(try c.readLine())).objectValue?.errorCode, -32700)
            XCTAssertEqual(
                try JSONParser.parse(try XCTUnwrap(try c.readLine())).objectValue?.result?["pong"], .bool(true))
        }
    }

    func test_unfinishedLineWithoutBytes_isClosedAfterTheTimeout_idleConnectionsStay() throws {
        let server = try RunningServer(arguments: ["--line-timeout", "1"])
        let idle = try server.client()
        XCTAssertEqual(try idle.call("ping").result?["pong"], .bool(true))
        let stalled = try server.client()
        try stalled.setReadTimeout(seconds: 10)
        let started = Date()
        try stalled.send(Array("{\"id\":1,\"method\":".utf8))
        XCTAssertNil(try stalled.readLine(), "the stalled connection is closed")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.9)
        XCTAssertEqual(
            try idle.call("ping").result?["pong"], .bool(true), "a connection with no unfinished line is not timed out")
    }
}

extension LineClient {
    /// Makes a read that waits longer than this fail instead of hanging the test.
    func setReadTimeout(seconds: Int) throws {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw LineClient.Failure(description: "setsockopt failed")
        }
    }
}
