import Foundation
import XCTest

/// The clients in examples/ against the demo server: the Python one when `python3` is on
/// PATH, the shell one when `socat` is (each skipped otherwise).
final class ExampleClientsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The full path of `program` on PATH, or nil.
    static func onPath(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(program)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs `executable` with `arguments`; answers exit status, stdout and stderr.
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func test_pythonClient_againstTheDemo() throws {
        guard let python = Self.onPath("python3") else { throw XCTSkip("python3 is not on PATH") }
        let server = try RunningServer()
        let script = Self.root.appendingPathComponent("examples/python/folkbok_client.py").path
        let (status, out, err) = try Self.run(python, [script, "--socket", server.socketPath])
        XCTAssertEqual(status, 0, err)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "session.open: SE2321000016-0001 (region), purpose care, contract normal")
        XCTAssertTrue(
            lines.contains { $0.hasPrefix("person.get 189001019802: ") && $0.contains("born 1890-01-01") }, out)
        XCTAssertTrue(lines.contains("pipelined 3 lookups:"), out)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  189001029819: ") && $0.contains("born 1890-01-02") }, out)
        XCTAssertTrue(lines.contains("  197001011001: error 4004 not_found"), out)
        let extract = try XCTUnwrap(lines.last)
        let match = try XCTUnwrap(
            extract.firstMatch(of: /^extract.create region 01: (\d+) records \(first (\d{12})\), version (\d+)$/),
            extract)
        XCTAssertGreaterThan(Int(match.1)!, 1000, "the demo has thousands in region 01")
        XCTAssertGreaterThan(Int(match.3)!, 40_000, "the version is the register's")
        // The client itself checks that the record lines number the answer's count (else status 1).
        XCTAssertNotNil(try server.client().call("ping")["result"])
    }

    func test_shellClient_againstTheDemo() throws {
        guard Self.onPath("socat") != nil, let sh = Self.onPath("sh") else { throw XCTSkip("socat is not on PATH") }
        let server = try RunningServer()
        let script = Self.root.appendingPathComponent("examples/shell/folkbok.sh").path
        let (status, out, err) = try Self.run(sh, [script, server.socketPath])
        XCTAssertEqual(status, 0, err)
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertTrue(
            lines.first?.hasPrefix(#"{"jsonrpc":"2.0","id":1,"result":{"customer":"SE2321000016-0001""#) ?? false, out)
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix(#"{"jsonrpc":"2.0","id":4,"result":{"id":{"kind":"personnummer","value":"189001029819"}"#)
            }, out)
        XCTAssertTrue(lines.contains { $0.hasPrefix(#"{"jsonrpc":"2.0","id":5,"error":{"code":4004"#) }, out)
        let summary = try XCTUnwrap(lines.first { $0.hasPrefix(#"{"jsonrpc":"2.0","id":6,"result":{"count":"#) }, out)
        let count = try XCTUnwrap(summary.firstMatch(of: /"count":(\d+)/)).1
        XCTAssertEqual(lines.last, "extract: \(count) record lines", "every record line arrived before the answer")
    }
}
