import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Starting primaries and replicas as real processes, and watching their replication state.
extension RunningServer {
    /// The replication socket a primary started with `primary(directory:)` offers its log on.
    static func replicationSocket(of directory: String) -> String { directory + "/repl.sock" }

    /// A primary offering its log at `replicationSocket(of: directory)`.
    static func primary(directory: String, extra: [String] = []) throws -> RunningServer {
        try RunningServer(
            directory: directory, arguments: ["--replication-listen", replicationSocket(of: directory)] + extra,
            customers: testCustomers())
    }

    /// A replica of the primary whose directory is `primaryDirectory`.
    static func replica(directory: String, of primaryDirectory: String, extra: [String] = []) throws -> RunningServer {
        try RunningServer(
            directory: directory, arguments: ["--replica-of", replicationSocket(of: primaryDirectory)] + extra,
            customers: testCustomers())
    }

    func operatorClient() throws -> LineClient { try session("operator", purpose: nil, contract: nil) }

    func info() throws -> JSONObject { try operatorClient().call("admin.info").result ?? JSONObject() }

    /// Waits until `admin.info` satisfies `condition` (at most `seconds`); answers the last info.
    @discardableResult
    func waitForInfo(
        _ what: String, seconds: Double = 20, _ condition: (JSONObject) -> Bool,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> JSONObject {
        let op = try operatorClient()
        let deadline = Date().addingTimeInterval(seconds)
        var last = JSONObject()
        while Date() < deadline {
            last = try op.call("admin.info").result ?? JSONObject()
            if condition(last) { return last }
            usleep(20_000)
        }
        XCTFail("timed out waiting for \(what); admin.info: \(last)", file: file, line: line)
        return last
    }

    /// Waits until this replica has applied every record up to `lsn`.
    @discardableResult
    func waitForApplied(_ lsn: Int64, file: StaticString = #filePath, line: UInt = #line) throws -> JSONObject {
        try waitForInfo("appliedLsn \(lsn)", { ($0["appliedLsn"]?.int64Value ?? -1) >= lsn }, file: file, line: line)
    }

    /// Imports persons and answers the LSN the import ended at (nil when refused).
    func importAt(_ client: LineClient, _ numbers: [Int], tag: String) throws -> Int64? {
        let file = directory + "/import-\(tag).ndjson"
        try (numbers.map { importLine($0, tag: tag) }.joined(separator: "\n") + "\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        let answer = try client.call(
            "admin.import", params: "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"delta\"}")
        guard let result = answer.result, result["rejected"]?.int64Value == 0 else { return nil }
        return result["lsn"]?.int64Value
    }

    /// SIGKILL, then wait for the exit.
    func killNow() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
