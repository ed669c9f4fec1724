import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Hot standby replication through real processes: a primary (`--replication-listen`) and a
/// replica (`--replica-of`), each with its own data directory.
final class ReplicationTests: XCTestCase {
    /// Writes made before the replica existed are copied; later ones follow live; reads on the
    /// replica answer them and are logged in the replica's own access log.
    func test_catchUp_liveFollow_andReadsAuditedOnTheReplica() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let op = try primary.operatorClient()
        let before = try XCTUnwrap(primary.importAt(op, Array(0..<300), tag: "Before"))

        let replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(before)
        XCTAssertEqual(try replica.givenNames(Array(0..<300)), Array(repeating: "Before", count: 300))

        let live = try XCTUnwrap(primary.importAt(op, Array(200..<500), tag: "Live"))
        XCTAssertEqual(live, before + 300)
        try replica.waitForApplied(live)
        // A fresh look: `lsn` and `appliedLsn` of one answer are read a moment apart.
        let info = try replica.info()
        XCTAssertEqual(info["role"]?.stringValue, "replica")
        XCTAssertEqual(info["lsn"]?.int64Value, live)
        let link = try XCTUnwrap(info["primary"]?.objectValue)
        XCTAssertEqual(link["addr"]?.stringValue, RunningServer.replicationSocket(of: p))
        XCTAssertEqual(link["connected"], .bool(true))
        XCTAssertEqual(link["lsn"]?.int64Value, live)
        XCTAssertEqual(
            try replica.givenNames(Array(0..<500)),
            Array(repeating: "Before", count: 200) + Array(repeating: "Live", count: 300))
        XCTAssertEqual(try replica.info()["persons"]?.int64Value, 500)

        // The primary sees the replica holding everything.
        let seen = try primary.waitForInfo("the replica's acknowledgement") {
            $0["replicas"]?.arrayValue?.first?.objectValue?["lsn"]?.int64Value == live
        }
        let replicas = seen["replicas"]?.arrayValue ?? []
        XCTAssertEqual(replicas.count, 1)
        XCTAssertEqual(replicas.first?.objectValue?["lagRecords"]?.int64Value, 0)
        XCTAssertEqual(replicas.first?.objectValue?["addr"]?.stringValue, replica.socketPath)
        XCTAssertEqual(seen["role"]?.stringValue, "primary")
        XCTAssertEqual(seen["epoch"]?.int64Value, 1)
        // The metrics show the same lag on both sides.
        func metric(_ server: RunningServer, _ line: String) throws -> Bool {
            let text = try XCTUnwrap(server.operatorClient().call("admin.metrics")["result"]?.stringValue)
            return text.split(separator: "\n").contains { $0.hasPrefix(line) }
        }
        XCTAssertTrue(try metric(primary, "folkbok_replication_lag_records{replica=\"\(replica.socketPath)\"} 0"))
        XCTAssertTrue(
            try metric(
                replica, "folkbok_replication_lag_records{primary=\"\(RunningServer.replicationSocket(of: p))\"} 0"))

        // The reads above (person.getMany on the replica) are in the replica's access log;
        // the primary, which answered none, logged none.
        let audited = try replica.operatorClient().call("audit.query", params: "{\"customer\":\"SE2321000016-0001\"}")
        let methods = (audited.result?["entries"]?.arrayValue ?? []).compactMap {
            $0.objectValue?["method"]?.stringValue
        }
        XCTAssertFalse(methods.isEmpty)
        XCTAssertEqual(Set(methods), ["person.getMany"])
        let onPrimary = try primary.operatorClient().call("audit.query", params: "{\"customer\":\"SE2321000016-0001\"}")
        XCTAssertNotNil(onPrimary.result)
        XCTAssertEqual(onPrimary.result?["entries"]?.arrayValue?.count, 0)
    }

    /// Every write method is refused on a replica with the reason and the primary's address;
    /// promotion is the operator's and only a replica's.
    func test_writesRefusedOnTheReplica_andPromotionRules() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let lsn = try XCTUnwrap(primary.importAt(try primary.operatorClient(), [1], tag: "One"))
        let replica = try RunningServer.replica(directory: r, of: p)
        try replica.waitForApplied(lsn)

        let admin = try replica.session()
        let op = try replica.operatorClient()
        let writes: [(LineClient, String, String)] = [
            (admin, "contact.set", "{\"id\":\"\(testNumber(1))\",\"phone\":\"+46701234567\"}"),
            (admin, "contact.delete", "{\"id\":\"\(testNumber(1))\"}"),
            (admin, "reserve.assign", "{\"person\":{\"name\":{\"given\":\"X\",\"surname\":\"Y\"}}}"),
            (admin, "reserve.register", "{}"),
            (admin, "reserve.update", "{}"),
            (admin, "reserve.link", "{}"),
            (admin, "reserve.unlink", "{}"),
            (op, "admin.import", "{\"path\":\"/tmp/none.ndjson\",\"region\":\"01\"}"),
        ]
        for (client, method, params) in writes {
            let answer = try client.call(method, params: params)
            let error = answer["error"]?.objectValue
            XCTAssertEqual(error?["code"]?.int64Value, 5003, method)
            XCTAssertEqual(error?["data"]?.objectValue?["reason"]?.stringValue, "read_only_replica", method)
            XCTAssertEqual(
                error?["data"]?.objectValue?["primary"]?.stringValue, RunningServer.replicationSocket(of: p), method)
        }
        XCTAssertEqual(try replica.givenNames([1]), ["One"], "reads go on")
        XCTAssertEqual(try admin.errorCode("admin.promote", "{}"), 4003, "only the operator promotes")
        XCTAssertEqual(
            try primary.operatorClient().errorCode("admin.promote", "{}"), -32602, "a primary is not promoted")
        XCTAssertEqual(try replica.info()["role"]?.stringValue, "replica")
    }

    /// A replica stopped (SIGTERM) or killed (SIGKILL) resumes from its own log: nothing is
    /// lost and nothing applied twice.
    func test_replicaRestart_afterSigtermAndKill9_resumesFromItsOwnLog() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let primary = try RunningServer.primary(directory: p)
        let op = try primary.operatorClient()
        var replica: RunningServer? = try RunningServer.replica(directory: r, of: p)
        var expected: [Int: String] = [:]
        var next = 0
        for round in 0..<4 {
            // Writes while the replica runs, then while it is down.
            for tag in ["Up\(round)", "Down\(round)"] {
                let numbers = Array(next..<(next + 150)) + Array(0..<20)
                let lsn = try XCTUnwrap(primary.importAt(op, numbers, tag: tag))
                for n in numbers { expected[n] = tag }
                next += 150
                if tag.hasPrefix("Up") {
                    try replica!.waitForApplied(lsn)
                    if round % 2 == 0 { XCTAssertEqual(replica!.stop(), 0) } else { replica!.killNow() }
                    replica = nil
                }
            }
            replica = try RunningServer.replica(directory: r, of: p)
            let primaryLSN = try XCTUnwrap(primary.info()["lsn"]?.int64Value)
            try replica!.waitForApplied(primaryLSN)
            let info = try replica!.info()
            XCTAssertEqual(info["lsn"]?.int64Value, primaryLSN, "round \(round)")
            XCTAssertEqual(info["persons"]?.int64Value, Int64(expected.count), "round \(round)")
        }
        let numbers = expected.keys.sorted()
        XCTAssertEqual(try replica!.givenNames(numbers), numbers.map { expected[$0] })
    }
}
