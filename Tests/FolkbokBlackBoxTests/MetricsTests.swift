import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// `admin.metrics` and `--metrics-listen` through the real binary: both give text the strict
/// reader accepts, the counts move with the requests made, the HTTP responder serves nothing
/// but `GET /metrics`, and only an operator may ask over the socket.
final class MetricsTests: XCTestCase {
    /// The demo server with the HTTP endpoint on a free loopback port, and that port.
    static func startServer() throws -> (RunningServer, Int) {
        let server = try RunningServer(arguments: ["--metrics-listen", "127.0.0.1:0", "--loops", "2"])
        let log = server.stderrText
        guard
            let range = log.range(
                of: #"serving metrics at http://127\.0\.0\.1:([0-9]+)/metrics"#, options: .regularExpression),
            let port = Int(log[range].split(separator: ":").last!.prefix { $0.isNumber })
        else {
            throw NSError(
                domain: "MetricsTests", code: 1,
                userInfo: [NSLocalizedDescriptionKey: "no metrics address in the log: \(log)"])
        }
        return (server, port)
    }

    /// The text of `admin.metrics` in an operator session (checked by the strict reader).
    static func scrape(_ server: RunningServer) throws -> PrometheusTextReader {
        let op = try server.session("operator", purpose: nil, contract: nil)
        let answer = try op.call("admin.metrics")
        guard let text = answer["result"]?.stringValue else {
            throw NSError(
                domain: "MetricsTests", code: 2,
                userInfo: [NSLocalizedDescriptionKey: "admin.metrics answered \(answer)"])
        }
        return try PrometheusTextReader(text)
    }

    func test_adminMetricsAndHTTP_strictFormat_andCountsMove() throws {
        let (server, port) = try Self.startServer()
        let before = try Self.scrape(server)
        for (family, type) in [
            ("folkbok_requests_total", "counter"), ("folkbok_request_duration_seconds", "histogram"),
            ("folkbok_connections_open", "gauge"), ("folkbok_connections_accepted_total", "counter"),
            ("folkbok_connections_refused_total", "counter"), ("folkbok_persons", "gauge"), ("folkbok_lsn", "gauge"),
            ("folkbok_log_bytes", "gauge"), ("folkbok_log_group_commit_records", "histogram"),
            ("folkbok_log_sync_seconds", "histogram"), ("folkbok_access_log_waiting_entries", "gauge"),
            ("folkbok_snapshot_last_lsn", "gauge"), ("folkbok_snapshot_last_duration_seconds", "gauge"),
            ("folkbok_snapshots_total", "counter"), ("folkbok_recovery_duration_seconds", "gauge"),
        ] {
            XCTAssertTrue(before.has(family: family, type: type), "\(family) as a \(type)")
        }
        XCTAssertGreaterThan(before.value("folkbok_persons"), 40_000, "the demo population")
        XCTAssertGreaterThan(before.value("folkbok_lsn"), 40_000)
        XCTAssertGreaterThan(before.value("folkbok_log_bytes"), 0)
        XCTAssertEqual(
            before.value("folkbok_snapshot_last_lsn"), before.value("folkbok_lsn"), "the demo is stored with a snapshot"
        )
        XCTAssertGreaterThanOrEqual(before.value("folkbok_snapshots_total"), 1)

        // N lookups (found), pipelined on one connection, and some that are not found.
        let n = 25
        let client = try server.session()
        for i in 0..<n {
            try client.send(
                line: #"{"jsonrpc":"2.0","id":\#(i),"method":"person.get","params":{"id":"\#(demoNumber)"}}"#)
        }
        for _ in 0..<n { XCTAssertNotNil(try client.readLine()) }
        for _ in 0..<3 {
            XCTAssertEqual(
                try client.errorCode("person.get", #"{"id":"197001011001"}"#), 4004,
                "a valid personnummer not in the demo")
        }
        XCTAssertEqual(try client.errorCode("no.such", "{}"), -32601)
        XCTAssertNotNil(try client.result("reserve.assign", "{}")["reserve"], "a write")

        let after = try Self.scrape(server)
        let getOK = ["method": "person.get", "outcome": "ok"]
        XCTAssertEqual(
            after.value("folkbok_requests_total", getOK) - before.value("folkbok_requests_total", getOK), Double(n))
        let getMissing = ["method": "person.get", "outcome": "4xxx"]
        XCTAssertEqual(
            after.value("folkbok_requests_total", getMissing) - before.value("folkbok_requests_total", getMissing), 3)
        XCTAssertEqual(after.value("folkbok_requests_total", ["method": "unknown", "outcome": "-32xxx"]), 1)
        XCTAssertEqual(after.value("folkbok_requests_total", ["method": "reserve.assign", "outcome": "ok"]), 1)
        XCTAssertEqual(
            after.value("folkbok_request_duration_seconds_count", ["method": "person.get"])
                - before.value("folkbok_request_duration_seconds_count", ["method": "person.get"]), Double(n + 3))
        XCTAssertEqual(after.value("folkbok_request_duration_seconds_count", ["method": "reserve.assign"]), 1)
        XCTAssertGreaterThan(after.value("folkbok_request_duration_seconds_sum", ["method": "reserve.assign"]), 0)
        XCTAssertEqual(after.value("folkbok_lsn"), before.value("folkbok_lsn") + 1, "the write")
        XCTAssertGreaterThan(
            after.value("folkbok_log_group_commit_records_count", ["log": "register"]),
            before.value("folkbok_log_group_commit_records_count", ["log": "register"]))
        XCTAssertGreaterThan(
            after.value("folkbok_log_sync_seconds_count", ["log": "access"]),
            before.value("folkbok_log_sync_seconds_count", ["log": "access"]), "lookups are logged")
        XCTAssertGreaterThanOrEqual(
            after.value("folkbok_connections_accepted_total") - before.value("folkbok_connections_accepted_total"), 2)
        XCTAssertGreaterThanOrEqual(after.value("folkbok_connections_open"), 1)

        // The same text over HTTP, and it has counted the scrape over the socket just made.
        let http = try httpRequest(port: port, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
        XCTAssertTrue(http.hasPrefix("HTTP/1.1 200 OK\r\n"), http)
        XCTAssertTrue(http.contains("\r\nContent-Type: text/plain; version=0.0.4"), http)
        let body = try XCTUnwrap(http.range(of: "\r\n\r\n").map { String(http[$0.upperBound...]) })
        let scraped = try PrometheusTextReader(body)
        XCTAssertEqual(scraped.value("folkbok_requests_total", getOK), after.value("folkbok_requests_total", getOK))
        XCTAssertGreaterThanOrEqual(
            scraped.value("folkbok_requests_total", ["method": "admin.metrics", "outcome": "ok"]), 1)
    }

    func test_http_servesOnlyGetMetrics() throws {
        let (server, port) = try Self.startServer()
        defer { server.stop() }
        XCTAssertTrue(try httpRequest(port: port, "GET /metrics?x=1 HTTP/1.0\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
        XCTAssertTrue(try httpRequest(port: port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        XCTAssertTrue(try httpRequest(port: port, "GET /metricsx HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 404 "))
        let post = try httpRequest(port: port, "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        XCTAssertTrue(post.hasPrefix("HTTP/1.1 405 ") && post.contains("\r\nAllow: GET\r\n"), post)
        XCTAssertTrue(try httpRequest(port: port, "DELETE /metrics HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 405 "))
        for malformed in [
            "garbage\r\n\r\n", "GET /metrics\r\n\r\n", "GET /metrics HTTP/2.0\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n",
            "GET  /metrics HTTP/1.1\r\n\r\n", "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n",
            "G(T /metrics HTTP/1.1\r\n\r\n",
        ] {
            XCTAssertTrue(try httpRequest(port: port, malformed).hasPrefix("HTTP/1.1 400 "), malformed)
        }
        let huge = "GET /metrics HTTP/1.1\r\nX-Filler: " + String(repeating: "a", count: 20_000) + "\r\n\r\n"
        XCTAssertTrue(try httpRequest(port: port, huge).hasPrefix("HTTP/1.1 400 "), "a head past the size bound")
        // A client that sends half a request and stalls holds only the responder's thread: the
        // socket answers at once meanwhile; the stalled client is dropped and the next served.
        let stalled = try httpConnect(port: port)
        _ = "GET /met".withCString { send(stalled, $0, 8, Int32(MSG_NOSIGNAL)) }
        usleep(100_000)
        let started = Date()
        XCTAssertNotNil(try server.session().call("person.get", params: #"{"id":"\#(demoNumber)"}"#)["result"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 1, "a lookup does not wait for the metrics responder")
        XCTAssertTrue(try httpRequest(port: port, "GET /metrics HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 200 "))
        close(stalled)
    }

    func test_adminMetrics_onlyForOperators() throws {
        let server = try RunningServer(customers: testCustomers())
        XCTAssertEqual(try server.session().errorCode("admin.metrics", "{}"), 4003)
        XCTAssertEqual(try server.client().errorCode("admin.metrics", "{}"), 4001)
        XCTAssertEqual(
            try server.session("operator", purpose: nil, contract: nil).errorCode("admin.metrics", #"{"x":1}"#), -32602)
        XCTAssertNotNil(
            try server.session("operator", purpose: nil, contract: nil).call("admin.metrics")["result"]?.stringValue)
        XCTAssertNotEqual(
            try runFolkbok([
                "serve", "--socket", server.directory + "/t.sock", "--data", server.directory + "/d2",
                "--metrics-listen", "nohost:x",
            ]).status, 0, "a bad --metrics-listen stops start-up")
    }

    /// The strict reader refuses what the format forbids (so its acceptance above means something).
    func test_reader_refusesBrokenText() {
        let good = "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\"} 3\n"
        XCTAssertNoThrow(try PrometheusTextReader(good))
        let histogram =
            "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"
        XCTAssertNoThrow(try PrometheusTextReader(histogram))
        let broken = [
            "# HELP a_total A.\n# TYPE a_total counter\na_total 3",  // no final newline
            "# TYPE a_total counter\n# HELP a_total A.\na_total 3\n",  // TYPE before HELP
            "a_total 3\n",  // sample before HELP and TYPE
            good + "\n",  // blank line
            good + good,  // family repeated
            "# HELP a_total A.\n# TYPE a_total counter\nb_total 3\n",  // sample of another family
            "# HELP a_total A.\n# TYPE a_total counter\na_total{1x=\"1\"} 3\n",  // bad label name
            "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"\\t\"} 3\n",  // bad escape
            "# HELP a_total A.\n# TYPE a_total counter\na_total{x=\"1\",x=\"2\"} 3\n",  // label repeated
            "# HELP a_total A.\n# TYPE a_total counter\na_total three\n",  // not a float
            "# HELP a_total A.\n# TYPE a_total counter\na_total 1\na_total 2\n",  // series repeated
            "# HELP 1a A.\n# TYPE 1a counter\n",  // bad metric name
            histogram.replacingOccurrences(of: "h_count 2", with: "h_count 3"),  // +Inf differs from _count
            histogram.replacingOccurrences(of: "h_bucket{le=\"1\"} 1", with: "h_bucket{le=\"1\"} 5"),  // not cumulative
            histogram.replacingOccurrences(of: "h_bucket{le=\"+Inf\"} 2\n", with: ""),  // no +Inf
            histogram.replacingOccurrences(of: "h_sum 3\n", with: ""),  // no _sum
        ]
        for text in broken { XCTAssertThrowsError(try PrometheusTextReader(text), text) }
    }
}

/// A connected TCP socket to 127.0.0.1:`port`.
func httpConnect(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
    let rc = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard fd >= 0, rc == 0 else { throw NSError(domain: "http", code: Int(errno)) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return fd
}

/// Sends `request` as is to 127.0.0.1:`port` and answers everything read until the server closes.
func httpRequest(port: Int, _ request: String) throws -> String {
    let fd = try httpConnect(port: port)
    defer { close(fd) }
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { break }  // the server may answer and close before reading it all
        sent += n
    }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { break }
        answer += buffer[0..<n]
    }
    return String(decoding: answer, as: UTF8.self)
}

/// New connections are spread over the event loops, even when they arrive in one burst.
final class LoopBalanceTests: XCTestCase {
    func test_aBurstOfConnections_isSpreadOverTheLoops() throws {
        let (server, _) = try MetricsTests.startServer()
        // All connected before any is used: the loop that wakes first would take them all.
        let clients = try (0..<40).map { _ in try server.client() }
        for (i, client) in clients.enumerated() {
            try client.send(line: #"{"jsonrpc":"2.0","id":\#(i),"method":"ping"}"#)
        }
        for client in clients { XCTAssertNotNil(try client.readLine()) }
        let metrics = try MetricsTests.scrape(server)
        let perLoop = (0..<2).map { metrics.value("folkbok_loop_connections_open", ["loop": String($0)]) }
        // The 40 and the scraping session.
        XCTAssertEqual(perLoop.reduce(0, +), 41, "\(perLoop)")
        XCTAssertLessThanOrEqual(abs(perLoop[0] - perLoop[1]), 1, "each loop holds half: \(perLoop)")
    }
}
