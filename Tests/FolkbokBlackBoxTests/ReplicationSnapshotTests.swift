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
