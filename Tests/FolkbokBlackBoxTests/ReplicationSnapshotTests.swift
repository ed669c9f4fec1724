import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Catch-up from a snapshot: a replica starting empty copies the primary's newest snapshot,
/// then follows the log after it.
final class ReplicationSnapshotTests: XCTestCase {
    func test_emptyReplica_copiesTheNewestSnapshot_thenFollowsTheLogAfterIt() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let op = try primary.operatorClient()
        let snapshotted = try XCTUnwrap(primary.importAt(op, Array(0..<400), tag: "InSnapshot"))
        let snapshot = try op.result("admin.snapshot", "{}")
        XCTAssertEqual(snapshot["lsn"]?.int64Value, snapshotted)
        let after = try XCTUnwrap(primary.importAt(op, Array(300..<500), tag: "AfterSnapshot"))

        let replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(after)
        let names = try replica.givenNames(Array(0..<500))
        XCTAssertEqual(
            names, Array(repeating: "InSnapshot", count: 300) + Array(repeating: "AfterSnapshot", count: 200))
        let files = try FileManager.default.contentsOfDirectory(atPath: r + "/data")
        let name =
            "snapshot-" + String(repeating: "0", count: 20 - String(snapshotted).count) + String(snapshotted)
            + ".fbsnap"
        XCTAssertTrue(files.contains(name), "\(files)")
        XCTAssertFalse(
            files.contains("wal-00000000000000000001.log"), "the log before the snapshot was not copied: \(files)")
        XCTAssertEqual(replica.stop(), 0)
        let log = replica.stderrText
        XCTAssertTrue(log.contains("copying the primary's snapshot at LSN \(snapshotted)"), log)
        XCTAssertTrue(log.contains("copied 100 % of the snapshot"), log)
        XCTAssertTrue(
            log.contains("following the primary \(RunningServer.replicationSocket(of: p)) from LSN \(snapshotted)"), log
        )
    }
}

extension ReplicationSnapshotTests {
    /// A second server cannot take over a replication socket another one is listening on.
    func test_liveReplicationSocket_isNotTakenOver() throws {
        let p = RunningServer.makeDirectory(), q = RunningServer.makeDirectory()
        defer { for d in [p, q] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let second = try runFolkbok([
            "serve", "--socket", q + "/s.sock", "--data", q + "/data",
            "--replication-listen", RunningServer.replicationSocket(of: p),
        ])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.err.contains("already listening for replicas"), second.err)
        XCTAssertEqual(try primary.info()["role"]?.stringValue, "primary")
    }
}

/// Catch-up of a running replica far behind: the primary sends its newest snapshot and the log
/// after it instead of the records the replica lacks (`--catchup-snapshot`), and the replica
/// ends with exactly the primary's records.
extension ReplicationSnapshotTests {
    func test_farBehindReplica_getsTheSnapshot_nearReplicaTheLog_andEndsEqualToThePrimary() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p, extra: ["--catchup-snapshot", "200"])
        let op = try primary.operatorClient()
        var expected: [Int: String] = [:]
        func importing(_ numbers: [Int], _ tag: String) throws -> Int64 {
            let lsn = try XCTUnwrap(primary.importAt(op, numbers, tag: tag))
            for n in numbers { expected[n] = tag }
            return lsn
        }
        var replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(try importing(Array(0..<100), "Start"))
        XCTAssertEqual(replica.stop(), 0)

        // 150 records behind (under 200): the log.
        var last = try importing(Array(50..<200), "Near")
        replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(last)
        XCTAssertEqual(replica.stop(), 0)
        XCTAssertFalse(replica.stderrText.contains("from the primary's snapshot"), replica.stderrText)

        // 400 records behind the newest snapshot, 60 more after it: the snapshot, then the log.
        let replicaLSN = last
        _ = try importing(Array(150..<550), "Far")
        let snapshotLSN = try XCTUnwrap(op.result("admin.snapshot", "{}")["lsn"]?.int64Value)
        last = try importing(Array(500..<560), "AfterSnapshot")
        replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(last)
        let numbers = expected.keys.sorted()
        XCTAssertEqual(try replica.givenNames(numbers), numbers.map { expected[$0] })
        XCTAssertEqual(try replica.info()["persons"]?.int64Value, try primary.info()["persons"]?.int64Value)
        XCTAssertEqual(try replica.info()["lsn"]?.int64Value, last)
        let link = try XCTUnwrap(try replica.info()["primary"]?.objectValue)
        XCTAssertNil(link["snapshotCopy"], "the copy's progress is shown only while it runs: \(link)")

        // The register is now the snapshot and the log after it; a restart resumes there.
        let files = try FileManager.default.contentsOfDirectory(atPath: r + "/data")
        let snapshots = files.filter { $0.hasPrefix("snapshot-") && $0.hasSuffix(".fbsnap") }
        XCTAssertEqual(snapshots, ["snapshot-" + String(format: "%020lld", snapshotLSN) + ".fbsnap"], "\(files)")
        let segments = files.filter { $0.hasPrefix("wal-") && $0.hasSuffix(".log") }
        XCTAssertFalse(segments.isEmpty)
        for segment in segments {
            let first = Int64(segment.dropFirst(4).dropLast(4)) ?? 0
            XCTAssertGreaterThan(first, snapshotLSN, "a segment the snapshot covers is left: \(files)")
        }
        XCTAssertEqual(replica.stop(), 0)
        let log = replica.stderrText
        XCTAssertTrue(log.contains("from the primary's snapshot at LSN \(snapshotLSN)"), log)
        XCTAssertTrue(log.contains("copied 100 % of the snapshot"), log)

        replica = try RunningServer.replica(directory: r, of: p)
        last = try importing(Array(0..<10), "AfterRestart")
        try replica.waitForApplied(last)
        XCTAssertEqual(try replica.givenNames(numbers), numbers.map { expected[$0] })
        XCTAssertEqual(replica.stop(), 0)
        XCTAssertTrue(
            replica.stderrText.contains("following the primary \(RunningServer.replicationSocket(of: p)) from LSN"),
            replica.stderrText)
        XCTAssertFalse(replica.stderrText.contains("from the primary's snapshot"), replica.stderrText)
        XCTAssertEqual(primary.stop(), 0)
        XCTAssertTrue(primary.stderrText.contains("lacks \(snapshotLSN - replicaLSN) records"), primary.stderrText)
    }
}

extension ReplicationSnapshotTests {
    /// Far behind the log with no snapshot covering enough of it: the primary writes one first.
    func test_farBehindReplica_withoutARecentSnapshot_primaryWritesOneAndSendsIt() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p, extra: ["--catchup-snapshot", "200"])
        let op = try primary.operatorClient()
        var replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(try XCTUnwrap(primary.importAt(op, Array(0..<50), tag: "Start")))
        XCTAssertEqual(replica.stop(), 0)
        let last = try XCTUnwrap(primary.importAt(op, Array(0..<300), tag: "Far"))
        XCTAssertLessThan(try XCTUnwrap(primary.info()["snapshotLsn"]?.int64Value), last)

        replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(last)
        XCTAssertEqual(try replica.givenNames(Array(0..<300)), Array(repeating: "Far", count: 300))
        XCTAssertEqual(try primary.info()["snapshotLsn"]?.int64Value, last)
        XCTAssertEqual(replica.stop(), 0)
        XCTAssertTrue(replica.stderrText.contains("from the primary's snapshot at LSN \(last)"), replica.stderrText)
        XCTAssertEqual(primary.stop(), 0)
        XCTAssertTrue(primary.stderrText.contains("no snapshot covers enough of them: writing one"), primary.stderrText)
    }
}

extension ReplicationSnapshotTests {
    /// An empty replica of a primary whose log runs far past its newest snapshot: the primary
    /// writes a snapshot first, so the replica copies one that holds everything.
    func test_emptyReplica_ofAPrimaryFarPastItsSnapshot_getsAFreshSnapshot() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p, extra: ["--catchup-snapshot", "200"])
        let op = try primary.operatorClient()
        let last = try XCTUnwrap(primary.importAt(op, Array(0..<300), tag: "Fresh"))
        XCTAssertLessThan(try XCTUnwrap(primary.info()["snapshotLsn"]?.int64Value), last)

        let replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(last)
        XCTAssertEqual(try replica.givenNames(Array(0..<300)), Array(repeating: "Fresh", count: 300))
        XCTAssertEqual(replica.stop(), 0)
        XCTAssertTrue(replica.stderrText.contains("copying the primary's snapshot at LSN \(last)"), replica.stderrText)
    }
}

extension ReplicationSnapshotTests {
    /// A replica whose next record the primary's log no longer holds (pruned after a snapshot)
    /// catches up from the snapshot, even where the size rule would have shipped the log.
    func test_replicaBehindAPrunedLog_catchesUpFromTheSnapshot() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(
            directory: p,
            extra: ["--log-segment-bytes", "64K", "--keep-snapshots", "1", "--catchup-snapshot", "100000000"])
        let op = try primary.operatorClient()
        var replica = try RunningServer.replica(directory: r, of: p)
        let start = try XCTUnwrap(primary.importAt(op, Array(0..<50), tag: "Start"))
        try replica.waitForApplied(start)
        XCTAssertEqual(replica.stop(), 0)

        _ = try XCTUnwrap(primary.importAt(op, Array(0..<400), tag: "Pruned"))
        _ = try XCTUnwrap(primary.importAt(op, Array(200..<600), tag: "Pruned"))
        let snapshotLSN = try XCTUnwrap(op.result("admin.snapshot", "{}")["lsn"]?.int64Value)
        let last = try XCTUnwrap(primary.importAt(op, Array(550..<600), tag: "After"))
        // The primary's log now begins after the replica's last record.
        let segments = try FileManager.default.contentsOfDirectory(atPath: p + "/data")
            .filter { $0.hasPrefix("wal-") && $0.hasSuffix(".log") }.sorted()
        let oldest = try XCTUnwrap(segments.first.flatMap { Int64($0.dropFirst(4).dropLast(4)) })
        XCTAssertGreaterThan(oldest, start + 1, "the log the replica needs is pruned: \(segments)")

        replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(last)
        let expected =
            Array(repeating: "Pruned", count: 550) + Array(repeating: "After", count: 50)
        XCTAssertEqual(try replica.givenNames(Array(0..<600)), expected)
        XCTAssertEqual(replica.stop(), 0)
        XCTAssertTrue(
            replica.stderrText.contains("from the primary's snapshot at LSN \(snapshotLSN)"), replica.stderrText)
        XCTAssertEqual(primary.stop(), 0)
    }
}
