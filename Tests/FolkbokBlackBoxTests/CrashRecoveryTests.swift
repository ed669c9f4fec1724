import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class CrashRecoveryTests: XCTestCase {
    /// Writers import while the server is killed with SIGKILL at a random moment, again and
    /// again (FOLKBOK_CRASH_ITERATIONS, default 50). After every restart each acknowledged write
    /// is there exactly, and an unacknowledged one is either whole or absent.
    func test_killDashNine_losesNoAcknowledgedWrite() throws {
        let iterations = Int(ProcessInfo.processInfo.environment["FOLKBOK_CRASH_ITERATIONS"] ?? "") ?? 50
        let directory = RunningServer.makeDirectory()
        var acknowledged: [Int: String] = [:]
        var inFlight: [Int: String] = [:]
        var generator = SystemRandomNumberGenerator()
        var nextPerson = 0
        for iteration in 0..<iterations {
            let server = try RunningServer(
                directory: directory, arguments: ["--snapshot-every", "400"], customers: testCustomers())
            // Everything acknowledged before is present exactly; what was in flight is whole or absent.
            let numbers = Array(acknowledged.keys) + Array(inFlight.keys)
            let names = try server.givenNames(numbers)
            for (n, name) in zip(numbers, names) {
                if let expected = acknowledged[n] {
                    XCTAssertEqual(name, expected, "iteration \(iteration): acknowledged person \(n)")
                } else if let name {
                    XCTAssertEqual(name, inFlight[n], "iteration \(iteration): unacknowledged person \(n) is whole")
                    acknowledged[n] = name
                }
            }
            inFlight = [:]
            let log = Mutex2()
            let writers = (0..<3).map { writer -> Thread in
                let first = nextPerson + writer * 10_000
                return Thread {
                    guard let client = try? server.session("operator", purpose: nil, contract: nil) else { return }
                    var n = first
                    for round in 0..<1_000 {
                        let batch = Array(n..<(n + 1 + round % 4))
                        let tag = "i\(iteration)w\(writer)r\(round)"
                        log.begin(batch, tag)
                        guard
                            let ok = try? server.importPersons(
                                client, batch, tag: tag, file: directory + "/w\(writer).ndjson")
                        else { return }
                        if ok { log.acknowledge(batch, tag) }
                        n += batch.count
                    }
                }
            }
            writers.forEach { $0.start() }
            if iteration % 5 == 2, let op = try? server.session("operator", purpose: nil, contract: nil) {
                _ = try? op.send(line: "{\"id\":9,\"method\":\"admin.snapshot\"}")
            }
            usleep(UInt32.random(in: 20_000...250_000, using: &generator))
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            while writers.contains(where: { $0.isExecuting }) { usleep(5_000) }
            let (acked, pending) = log.snapshot()
            acknowledged.merge(acked) { $1 }
            inFlight = pending.filter { acked[$0.key] == nil }
            nextPerson += 30_000
        }
        XCTAssertGreaterThan(acknowledged.count, iterations, "the writers got work acknowledged")
        let final = try RunningServer(directory: directory, customers: testCustomers())
        let names = try final.givenNames(Array(acknowledged.keys))
        XCTAssertEqual(names, Array(acknowledged.values))
        try? FileManager.default.removeItem(atPath: directory)
    }

    func test_sigterm_restart_keepsEverything_andWritesAFinalSnapshot() throws {
        let directory = RunningServer.makeDirectory()
        let server = try RunningServer(directory: directory, customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<300), tag: "kept", file: directory + "/a.ndjson"))
        XCTAssertEqual(server.stop(), 0)
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory + "/data").filter {
            $0.hasSuffix(".fbsnap")
        }
        XCTAssertTrue(snapshots.contains("snapshot-00000000000000000300.fbsnap"), "\(snapshots)")
        let again = try RunningServer(directory: directory, customers: testCustomers())
        XCTAssertEqual(try again.givenNames(Array(0..<300)), Array(repeating: "kept", count: 300))
        let verify = try runFolkbok(["snapshot", "verify", directory + "/data/snapshot-00000000000000000300.fbsnap"])
        XCTAssertEqual(verify.status, 0, verify.err)
        XCTAssertTrue(verify.out.contains("lsn 300") && verify.out.contains("300 persons"), verify.out)
    }

    func test_corruptLogInTheMiddle_refusesToStart_unlessTruncateIsAsked() throws {
        let directory = RunningServer.makeDirectory()
        let server = try RunningServer(
            directory: directory, arguments: ["--snapshot-every", "off"], customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        for i in 0..<10 {
            XCTAssertTrue(
                try server.importPersons(
                    op, Array((i * 10)..<(i * 10 + 10)), tag: "t\(i)", file: directory + "/a.ndjson"))
        }
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        let wal = directory + "/data/wal-00000000000000000001.log"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: wal))
        bytes[400] ^= 0x55  // inside an early record, with valid records after it
        try bytes.write(to: URL(fileURLWithPath: wal))

        let refused = try runFolkbok([
            "serve", "--socket", directory + "/s.sock", "--data", directory + "/data", "--customers",
            directory + "/customers.json",
        ])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("wal-00000000000000000001.log"), refused.err)
        XCTAssertTrue(refused.err.contains("truncate-log"), refused.err)
        XCTAssertFalse(refused.err.contains("Crash"), "no person data in the message")

        let truncated = try RunningServer(
            directory: directory, arguments: ["--recover", "truncate-log"], customers: testCustomers())
        let names = try truncated.givenNames(Array(0..<100))
        let present = names.prefix { $0 != nil }.count
        XCTAssertLessThan(present, 100)
        XCTAssertTrue(
            names.dropFirst(present).allSatisfy { $0 == nil }, "the log is cut at the bad record: nothing after it")
    }

    func test_restore_intoAFreshDirectory_answersTheSame() throws {
        let directory = RunningServer.makeDirectory()
        let server = try RunningServer(directory: directory, customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<200), tag: "before", file: directory + "/a.ndjson"))
        let snapshot = try XCTUnwrap(op.call("admin.snapshot").result?["path"]?.stringValue)
        XCTAssertTrue(try server.importPersons(op, Array(100..<250), tag: "after", file: directory + "/b.ndjson"))
        let expected = try server.givenNames(Array(0..<250))
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()

        let fresh = RunningServer.makeDirectory()
        let restore = try runFolkbok(["restore", "--from", snapshot, "--data", fresh + "/data"])
        XCTAssertEqual(restore.status, 0, restore.err)
        try FileManager.default.copyItem(atPath: directory + "/customers.json", toPath: fresh + "/customers.json")
        let standby = try RunningServer(directory: fresh, customers: testCustomers())
        XCTAssertEqual(try standby.givenNames(Array(0..<250)), expected)
    }
}

/// A lock-protected record of what writers sent and what was acknowledged.
final class Mutex2: @unchecked Sendable {
    private let lock = NSLock()
    private var acknowledged: [Int: String] = [:]
    private var begun: [Int: String] = [:]

    func begin(_ numbers: [Int], _ tag: String) {
        lock.lock()
        for n in numbers { begun[n] = tag }
        lock.unlock()
    }
    func acknowledge(_ numbers: [Int], _ tag: String) {
        lock.lock()
        for n in numbers { acknowledged[n] = tag }
        lock.unlock()
    }
    func snapshot() -> (acknowledged: [Int: String], begun: [Int: String]) {
        lock.lock()
        defer { lock.unlock() }
        return (acknowledged, begun)
    }
}
