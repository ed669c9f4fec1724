import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Many connections at once (Redis's default `maxclients` is 10,000): every one is accepted and
/// answered, memory per connection stays small, and the server goes on serving afterwards.
final class ConnectionStormTests: XCTestCase {
    private func residentBytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }

    func test_tenThousandConnections_areEachServed_withBoundedMemory() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 10_100 && limit.rlim_max >= 10_100 {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        try XCTSkipIf(limit.rlim_cur < 10_100, "the open-file limit here is below 10,100")
        let server = try RunningServer()
        let pid = server.process.processIdentifier
        let before = residentBytes(pid)
        var clients: [LineClient] = []
        clients.reserveCapacity(10_000)
        for _ in 0..<10_000 { clients.append(try server.client()) }
        for c in clients { try c.send(Array("{\"id\":1,\"method\":\"ping\"}\n".utf8)) }
        var answered = 0
        for c in clients {
            try c.setReadTimeout(seconds: 30)
            if let line = try c.readLine(), try JSONParser.parse(line).objectValue?.result?["pong"] == .bool(true) {
                answered += 1
            }
        }
        XCTAssertEqual(answered, 10_000, "every connection is answered")
        let perConnection = (residentBytes(pid) - before) / 10_000
        print("server memory per open connection: \(perConnection) B (RSS growth over 10,000 connections)")
        XCTAssertLessThan(perConnection, 64 << 10, "a connection costs less than 64 KiB")
        clients.removeAll()
        let after = try server.session()
        XCTAssertNotNil(
            try after.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result, "the server serves on")
        XCTAssertEqual(server.stop(), 0)
    }
}
