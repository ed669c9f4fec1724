import FolkbokJSON
import Foundation
import XCTest

/// An import runs in the background (README, "Import"): its threads under Linux's idle
/// scheduling policy, so the event loops keep their share of the cores while it runs;
/// `FOLKBOK_IMPORT_PRIORITY=normal` in the server's environment turns that off.
final class ImportPriorityTests: XCTestCase {
    func test_import_runsUnderTheIdlePolicy_whileTheMainEventLoopStaysNormal() throws {
        let seen = try importWatchingThreads(environment: [:])
        XCTAssertEqual(seen.idleBefore, 0, "nothing is in the background before the import")
        XCTAssertGreaterThan(seen.idleDuring, 0, "the import's threads were under the idle policy")
        XCTAssertEqual(seen.mainPolicies, [Self.normalPolicy], "the first event loop (the main thread) stays normal")
    }

    func test_importPriorityNormal_leavesEveryThreadNormal() throws {
        let seen = try importWatchingThreads(environment: ["FOLKBOK_IMPORT_PRIORITY": "normal"])
        XCTAssertEqual(seen.idleBefore, 0)
        XCTAssertEqual(seen.idleDuring, 0)
    }

    static let normalPolicy = 0
    static let idlePolicy = 5

    /// Imports 20,000 generated persons while a thread samples the server's threads'
    /// scheduling policies every millisecond or so, and once more after the answer.
    private func importWatchingThreads(environment: [String: String]) throws -> (
        idleBefore: Int, idleDuring: Int, mainPolicies: Set<Int>
    ) {
        let generated = try runFolkbok(["generate", "20000", "--seed", "11"])
        XCTAssertEqual(generated.status, 0)
        let server = try RunningServer(customers: testCustomers(), environment: environment)
        let path = server.directory + "/persons.ndjson"
        try generated.out.write(toFile: path, atomically: true, encoding: .utf8)
        let pid = server.process.processIdentifier
        let idleBefore = Self.policies(of: pid).filter { $0.value == Self.idlePolicy }.count

        let sampler = PolicySampler(pid: pid)
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            sampler.run()
            stopped.signal()
        }
        let op = try server.session("operator", purpose: nil, contract: nil)
        let report = try XCTUnwrap(
            op.call("admin.import", params: "{\"paths\":[\"\(path)\"],\"region\":\"07\",\"mode\":\"delta\"}").result)
        sampler.stop()
        stopped.wait()
        XCTAssertEqual(report["inserted"]?.int64Value, 20000)
        // Reads are answered as before.
        let id = try XCTUnwrap(generated.out.split(separator: "\n").first.flatMap { Self.id(of: String($0)) })
        XCTAssertNotNil(try server.session().call("person.get", params: "{\"id\":\"\(id)\"}").result)
        return (idleBefore, sampler.idleThreads.count, sampler.mainPolicies)
    }

    /// The identity number of a generated NDJSON line.
    private static func id(of line: String) -> String? {
        guard let range = line.range(of: "\"value\":\"") else { return nil }
        return String(line[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Each thread of `pid` and its scheduling policy (field 41 of /proc/PID/task/TID/stat).
    static func policies(of pid: Int32) -> [Int: Int] {
        let tasks = "/proc/\(pid)/task"
        var result: [Int: Int] = [:]
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            guard let stat = try? String(contentsOfFile: "\(tasks)/\(tid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }  // the thread ended meanwhile
            // Fields after the name start at field 3 (the state).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 38, let policy = Int(fields[38]), let tid = Int(tid) { result[tid] = policy }
        }
        return result
    }
}

/// Samples a server's threads' policies until stopped.
private final class PolicySampler: @unchecked Sendable {
    // @unchecked: the fields are written by the sampling thread before `stopped` is signalled
    // and read by the test only after waiting for it.
    let pid: Int32
    private let stopFlag = NSLock()
    private var stopping = false
    var idleThreads: Set<Int> = []
    var mainPolicies: Set<Int> = []

    init(pid: Int32) { self.pid = pid }

    func run() {
        while true {
            let done = stopFlag.withLock { stopping }
            for (tid, policy) in ImportPriorityTests.policies(of: pid) {
                if policy == ImportPriorityTests.idlePolicy { idleThreads.insert(tid) }
                if tid == Int(pid) { mainPolicies.insert(policy) }
            }
            if done { return }  // one last look after the import answered
            usleep(1000)
        }
    }

    func stop() { stopFlag.withLock { stopping = true } }
}
