import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The writers beside the log and the access log (`FullDiskTests`) on a full 64 MiB tmpfs: the
/// register snapshot, the statistics (counters snapshot, session journal) and the statistics
/// exports. Each fails with a clear answer and leaves no half file; the server serves on; once
/// space returns each works again without a restart. Needs root to mount (skipped otherwise).
final class FullDiskWritersTests: TmpfsTestCase {
    private let region = "SE2321000016-0001"

    func test_snapshotOnFullDisk_isRefusedClearly_leavesNoPartialFile_dataAsBefore_thenSucceedsOnceSpaceReturns() throws
    {
        let dir = try XCTUnwrap(mountPoint)
        let server = try RunningServer(directory: dir)
        XCTAssertNotNil(try setPhone(try server.session(), 1).result)
        let op = try server.session("operator", purpose: nil, contract: nil)
        let snapshotsBefore = snapshotFiles(dir)
        let lsnBefore = try op.result("admin.info", "{}")["snapshotLsn"]?.int64Value

        fill(dir + "/filler")
        let refused = try op.call("admin.snapshot", params: "{}")
        XCTAssertEqual(refused.errorCode, 5003, "\(refused)")
        let message = refused["error"]?.objectValue?["message"]?.stringValue ?? ""
        XCTAssertTrue(
            message.contains("snapshot could not be written") && message.contains("No space left on device"), message)
        XCTAssertEqual(snapshotFiles(dir), snapshotsBefore, "no snapshot file appears or changes")
        XCTAssertEqual(temporaryFiles(dir), [], "no half-written snapshot is left")
        XCTAssertEqual(try phone(server), "+46700000001", "the server serves its data as before")
        XCTAssertEqual(try op.result("admin.info", "{}")["snapshotLsn"]?.int64Value, lsnBefore)

        try FileManager.default.removeItem(atPath: dir + "/filler")
        let done = try op.result("admin.snapshot", "{}")
        let path = try XCTUnwrap(done["path"]?.stringValue)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: path),
            "the snapshot is written once space returns, without a restart")
        XCTAssertNotEqual(snapshotFiles(dir), snapshotsBefore)
        XCTAssertEqual(temporaryFiles(dir), [])

        server.killDashNine()
        let restarted = try RunningServer(directory: dir)
        XCTAssertEqual(try phone(restarted), "+46700000001")
        let op2 = try restarted.session("operator", purpose: nil, contract: nil)
        XCTAssertEqual(
            try op2.result("admin.info", "{}")["snapshotLsn"]?.int64Value, done["lsn"]?.int64Value,
            "the restart loads that snapshot")
        XCTAssertEqual(restarted.stop(), 0)
    }

    /// Lookups are counted from the access log, ended sessions from the statistics' own journal,
    /// and the counters snapshot is written by `admin.snapshot` and at a clean stop. None of it
    /// crashes or loses a count on a full disk.
    func
        test_statisticsOnFullDisk_loseNoCount_snapshotFailsHarmlessly_andCountsEqualTheAccessLog_beforeAndAfterRestarts()
        throws
    {
        let dir = try XCTUnwrap(mountPoint)
        var server = try RunningServer(directory: dir)
        try read(server, times: 25, user: "before")

        fill(dir + "/filler")
        for n in 0..<3 { try read(server, times: 0, user: "full-\(n)") }
        var op = try server.operatorSession()
        XCTAssertEqual(try op.call("admin.snapshot", params: "{}").errorCode, 5003, "no snapshot on a full disk")
        XCTAssertTrue(
            try eventually(within: 5) { try statsSessions(op) == 4 }, "sessions ended on a full disk are counted")
        try assertCountsEqualTheAccessLog(op, lookups: 25)

        try FileManager.default.removeItem(atPath: dir + "/filler")
        XCTAssertNotNil(
            try op.result("admin.snapshot", "{}")["lsn"], "the snapshot (with the counters) succeeds once space returns"
        )
        XCTAssertFalse(statisticsSnapshots(dir).isEmpty, "a counters snapshot is on disk")
        XCTAssertEqual(temporaryFiles(dir), [])
        try read(server, times: 10, user: "after")
        try assertCountsEqualTheAccessLog(op, lookups: 35)

        // A clean stop on a full disk: its final counters snapshot fails; the next start recounts.
        fill(dir + "/filler")
        try read(server, times: 0, user: "full-again")
        XCTAssertEqual(server.stop(), 0)
        XCTAssertTrue(server.stderrText.contains("final statistics snapshot failed"), server.stderrText)
        try FileManager.default.removeItem(atPath: dir + "/filler")
        XCTAssertEqual(temporaryFiles(dir), [])
        server = try RunningServer(directory: dir)
        op = try server.operatorSession()
        try assertCountsEqualTheAccessLog(op, lookups: 35)
        XCTAssertEqual(try statsSessions(op), 6, "every ended session counted once, after a restart too")

        server.killDashNine()
        server = try RunningServer(directory: dir)
        op = try server.operatorSession()
        try assertCountsEqualTheAccessLog(op, lookups: 35)
        XCTAssertEqual(server.stop(), 0)
    }

    func test_exportOnFullDisk_isRefusedClearly_leavesNothingListedOrOnDisk_thenSucceedsOnceSpaceReturns() throws {
        let dir = try XCTUnwrap(mountPoint)
        let server = try RunningServer(directory: dir)
        try read(server, times: 10, user: "reader")
        let exporter = try server.session(region, purpose: "care", user: "exporter")
        let params = "{\"kind\":\"aggregated\",\"from\":\"\(utcToday())\",\"to\":\"\(utcToday())\"}"

        fill(dir + "/filler")
        let refused = try exporter.call("stats.export", params: params)
        XCTAssertEqual(refused.errorCode, 5003, "\(refused)")
        XCTAssertTrue(
            (refused["error"]?.objectValue?["message"]?.stringValue ?? "").contains("export could not be written"),
            "\(refused)")
        XCTAssertEqual(try exporter.result("stats.exports", "{}")["exports"]?.arrayValue?.count, 0, "nothing is listed")
        XCTAssertEqual(server.exportFiles, [], "no half file is left")

        try FileManager.default.removeItem(atPath: dir + "/filler")
        let made = try exporter.result("stats.export", params)
        let id = try XCTUnwrap(made["export"]?.stringValue, "the export succeeds once space returns, without a restart")
        let listed = try exporter.result("stats.exports", "{}")["exports"]?.arrayValue?.compactMap {
            $0.objectValue?["export"]?.stringValue
        }
        XCTAssertEqual(listed, [id])
        try exporter.send(line: "{\"id\":9,\"method\":\"stats.fetch\",\"params\":{\"export\":\"\(id)\"}}")
        var rows = 0
        while let line = try exporter.readLine(), let answer = try JSONParser.parse(line).objectValue {
            if answer["row"] != nil {
                rows += 1
                continue
            }
            XCTAssertEqual(answer.result?["rows"]?.int64Value, Int64(rows), "\(answer)")
            break
        }
        XCTAssertEqual(Int64(rows), made["rows"]?.int64Value)
        XCTAssertEqual(Set(server.exportFiles), [id + ".export", id + ".rows"])
        XCTAssertEqual(server.stop(), 0)
    }

    /// Strict access log on a full disk: reads whose entries cannot be written are refused and
    /// their entries rolled back, so they must not be counted either (the statistics count an
    /// entry only once it is durable), and counters snapshots (so `admin.snapshot`) keep working
    /// once space returns, without a restart.
    func test_readsRefusedOnFullDisk_areNotCounted_countsEqualTheAccessLog_andSnapshotsWork_withoutRestart() throws {
        let dir = try XCTUnwrap(mountPoint)
        let server = try RunningServer(directory: dir)
        let reader = try server.session(region, purpose: "care", user: "reader")
        try reader.setReadTimeout(seconds: 30)
        fill(dir + "/filler")
        let read = "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(demoNumber)\"}}\n"
        var refused = 0
        for _ in 0..<100 where refused == 0 {
            try reader.send(Array(String(repeating: read, count: 500).utf8))
            for _ in 0..<500 where try JSONParser.parse(try XCTUnwrap(try reader.readLine())).objectValue?.result == nil
            { refused += 1 }
        }
        XCTAssertGreaterThan(refused, 0, "reads are refused once the access log's disk is full")
        try FileManager.default.removeItem(atPath: dir + "/filler")
        XCTAssertTrue(
            try eventually(within: 15) {
                try reader.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result != nil
            })
        let op = try server.operatorSession()
        try assertCountsEqualTheAccessLog(op, lookups: nil)
        let snapshot = try op.call("admin.snapshot", params: "{}")
        XCTAssertNotNil(snapshot.result, "\(snapshot)")
        XCTAssertEqual(server.stop(), 0)
    }

    // MARK: - Helpers

    /// Opens a session as the demo region with staff id `user`, answers `times` reads of the
    /// demo person (each must be answered), and ends the session (the connection closes).
    private func read(_ server: RunningServer, times: Int, user: String) throws {
        let reader = try server.session(region, purpose: "care", user: user)
        for _ in 0..<times {
            XCTAssertNotNil(try reader.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result)
        }
        reader.hangUp()
    }

    /// `stats.get`'s lookups of the region today equal its access-log lookups, and `lookups` if given.
    private func assertCountsEqualTheAccessLog(
        _ op: LineClient, lookups: Int?, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let logged = try auditEntries(op, customer: region, day: utcToday())
            .filter { countedMethods.contains($0["method"]?.stringValue ?? "") }.count
        let counted = try statsResult(op, sessions: false).rows.reduce(0) { $0 + Int($1["lookups"]?.int64Value ?? 0) }
        XCTAssertEqual(counted, logged, "statistics equal the access log", file: file, line: line)
        if let lookups { XCTAssertEqual(logged, lookups, "every answered read has its entry", file: file, line: line) }
    }

    /// Sessions of the region ended today, as `stats.get` counts them.
    private func statsSessions(_ op: LineClient) throws -> Int {
        try statsResult(op, sessions: true).sessions.reduce(0) { $0 + Int($1["sessions"]?.int64Value ?? 0) }
    }

    private func statsResult(_ op: LineClient, sessions: Bool) throws -> (rows: [JSONObject], sessions: [JSONObject]) {
        let today = utcToday()
        let result = try op.result(
            "stats.get",
            "{\"customer\":\"\(region)\",\"from\":\"\(today)\",\"to\":\"\(today)\",\"sessions\":\(sessions)}")
        return (statsRows(result), (result["sessions"]?.arrayValue ?? []).compactMap(\.objectValue))
    }

    /// Register snapshot files in the data directory, by name, with their sizes.
    private func snapshotFiles(_ dir: String) -> [String: Int] {
        files(dir + "/data").filter { $0.key.hasSuffix(".fbsnap") }
    }

    private func statisticsSnapshots(_ dir: String) -> [String] {
        files(dir + "/data/stats").keys.filter { !$0.contains("/") && !$0.hasSuffix(".tmp") }.sorted()
    }

    /// Files left half-written anywhere under the data directory.
    private func temporaryFiles(_ dir: String) -> [String] {
        files(dir + "/data").keys.filter { $0.hasSuffix(".tmp") }.sorted()
    }

    /// Every regular file under `root` (paths relative to it) with its size.
    private func files(_ root: String) -> [String: Int] {
        var found: [String: Int] = [:]
        let walker = FileManager.default.enumerator(atPath: root)
        while let name = walker?.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + name)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else { continue }
            found[name] = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        }
        return found
    }
}
