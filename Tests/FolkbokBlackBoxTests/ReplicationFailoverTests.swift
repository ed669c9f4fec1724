import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Promotion, the failover drill and a diverged old primary, through real processes.
final class ReplicationFailoverTests: XCTestCase {
    /// `folkbok promote` makes the replica take writes in epoch 2, numbered above everything
    /// it had applied.
    func test_promote_takesWritesWithHigherVersions() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let old = try XCTUnwrap(primary.importAt(try primary.operatorClient(), Array(0..<100), tag: "Old"))
        let replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(old)

        let promoted = try runFolkbok(["promote"], environment: ["FOLKBOK_SOCKET": replica.socketPath])
        XCTAssertEqual(promoted.status, 0, promoted.err)
        XCTAssertTrue(promoted.out.contains("epoch 2") && promoted.out.contains("after LSN \(old)"), promoted.out)
        let info = try replica.info()
        XCTAssertEqual(info["role"]?.stringValue, "primary")
        XCTAssertEqual(info["epoch"]?.int64Value, 2)
        let new = try XCTUnwrap(replica.importAt(try replica.operatorClient(), Array(50..<150), tag: "New"))
        XCTAssertEqual(new, old + 100)
        let record = try replica.session().call("person.get", params: "{\"id\":\"\(testNumber(60))\"}")
        let version = try XCTUnwrap(
            record.result?["record"]?.objectValue?["version"]?.int64Value ?? record.result?["version"]?.int64Value,
            "\(record)")
        XCTAssertGreaterThan(version, old)
        XCTAssertEqual(try replica.givenNames([0, 49, 50, 149]), ["Old", "Old", "New", "New"])
        XCTAssertEqual(try replica.operatorClient().errorCode("admin.promote", "{}"), -32602, "promoted once")

        // The epoch survives a restart (the file is owner-only).
        XCTAssertEqual(replica.stop(), 0)
        let mode =
            try FileManager.default.attributesOfItem(atPath: r + "/data/replication.epoch")[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let again = try RunningServer(directory: r, customers: testCustomers())
        XCTAssertEqual(try again.info()["epoch"]?.int64Value, 2)
        XCTAssertEqual(try again.info()["role"]?.stringValue, "primary")
    }

    /// The drill: a writer on the primary, `kill -9` of the primary mid-stream, promotion of the
    /// replica: every write the replica had applied (by the LSN the promotion answers) is there
    /// with its content, and the promoted node takes writes.
    func test_failoverDrill_killDashNinePrimary_promoteReplica_keepsWhatTheReplicaApplied() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let replica = try RunningServer.replica(
            directory: r, of: p, extra: ["--replication-listen", RunningServer.replicationSocket(of: r)])
        let acknowledged = Mutex2()
        let writer = Thread {
            guard let client = try? primary.operatorClient() else { return }
            for round in 0..<100_000 {
                let numbers = Array((round * 7)..<(round * 7 + 7))
                let tag = "W\(round)"
                acknowledged.begin(numbers, tag)
                guard let lsn = try? primary.importAt(client, numbers, tag: tag) else { return }
                acknowledged.acknowledge(numbers, tag + "@" + String(lsn))
            }
        }
        writer.start()
        usleep(700_000)
        primary.killNow()
        while writer.isExecuting { usleep(5_000) }

        let promoted = try runFolkbok(["promote"], environment: ["FOLKBOK_SOCKET": replica.socketPath])
        XCTAssertEqual(promoted.status, 0, promoted.err)
        let applied = try XCTUnwrap(replica.info()["lsn"]?.int64Value)
        let (acked, _) = acknowledged.snapshot()
        XCTAssertGreaterThan(acked.count, 20, "the writer got writes acknowledged")
        var expected: [Int: String] = [:]
        for (n, tagged) in acked {
            let parts = tagged.split(separator: "@")
            if Int64(parts[1])! <= applied { expected[n] = String(parts[0]) }
        }
        XCTAssertGreaterThan(expected.count, 0, "the replica had applied some acknowledged writes")
        let numbers = expected.keys.sorted()
        XCTAssertEqual(try replica.givenNames(numbers), numbers.map { expected[$0] })
        let after = try XCTUnwrap(replica.importAt(try replica.operatorClient(), [999_000], tag: "After"))
        XCTAssertEqual(after, applied + 1)
    }

    /// An old primary that holds records past the split refuses to follow the promoted node,
    /// naming both LSNs and epochs; `--resync` makes it a copy of the new primary.
    func test_divergedOldPrimary_refusesToFollow_untilResync() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        var primary: RunningServer? = try RunningServer.primary(directory: p)
        let shared = try XCTUnwrap(primary!.importAt(try primary!.operatorClient(), Array(0..<50), tag: "Shared"))
        var replica: RunningServer? = try RunningServer.replica(
            directory: r, of: p,
            extra: ["--replication-listen", RunningServer.replicationSocket(of: r)])
        try replica!.waitForApplied(shared)
        XCTAssertEqual(replica!.stop(), 0)
        replica = nil
        // Only the old primary gets these: its history goes past the split.
        let lost = try XCTUnwrap(primary!.importAt(try primary!.operatorClient(), Array(50..<60), tag: "Lost"))
        primary!.killNow()
        primary = nil

        replica = try RunningServer.replica(
            directory: r, of: p, extra: ["--replication-listen", RunningServer.replicationSocket(of: r)])
        let promoted = try runFolkbok(["promote"], environment: ["FOLKBOK_SOCKET": replica!.socketPath])
        XCTAssertEqual(promoted.status, 0, promoted.err)
        let newer = try XCTUnwrap(replica!.importAt(try replica!.operatorClient(), Array(100..<120), tag: "Newer"))

        let oldArgs = ["--replica-of", RunningServer.replicationSocket(of: r)]
        var old: RunningServer? = try RunningServer(directory: p, arguments: oldArgs, customers: testCustomers())
        let refused = try old!.waitForInfo("the refusal") { $0["primary"]?.objectValue?["error"] != nil }
        let error = refused["primary"]?.objectValue?["error"]?.stringValue ?? ""
        XCTAssertTrue(
            error.contains("refusing to follow: local epoch 1 LSN \(lost), primary epoch 2 split at LSN \(shared)"),
            error)
        XCTAssertEqual(refused["appliedLsn"]?.int64Value, lost, "nothing of the other history applied")
        XCTAssertEqual(old!.stop(), 0)
        XCTAssertTrue(old!.stderrText.contains("refusing to follow"))
        old = nil

        old = try RunningServer(directory: p, arguments: oldArgs + ["--resync"], customers: testCustomers())
        let info = try old!.waitForApplied(newer)
        XCTAssertEqual(info["epoch"]?.int64Value, 2)
        XCTAssertEqual(info["persons"]?.int64Value, 70)
        XCTAssertEqual(try old!.givenNames([0, 49, 50, 100]), ["Shared", "Shared", nil, "Newer"])
    }
}
