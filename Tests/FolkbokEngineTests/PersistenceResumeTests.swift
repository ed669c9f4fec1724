import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Foundation
import Synchronization
import XCTest

@testable import FolkbokEngine

/// After a full disk the engine is read-only; once space returns `resumeWrites` makes it
/// writable again, numbering continues after the last durable LSN, and a restart replays
/// exactly the acknowledged commits.
final class PersistenceResumeTests: XCTestCase {
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "folkbok-resume-" + UUID().uuidString.prefix(8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func open(_ fs: any FileSystem = RealFileSystem()) async throws -> Persistence {
        var c = PersistenceConfig(directory: directory)
        c.segmentBytes = 1 << 16
        c.fs = fs
        return try await Persistence.open(c, shardCount: 3) { _ in }.0
    }

    private func person(_ n: Int, _ tag: String) -> Mutation { EngineCommitTests.person(n, tag: tag) }

    private func assertReadOnly(
        _ engine: Engine, _ mutation: Mutation, file: StaticString = #filePath, line: UInt = #line
    ) async {
        do throws(EngineError) {
            _ = try await engine.commit([mutation])
            XCTFail("a write was acknowledged while the disk is full", file: file, line: line)
        } catch {
            guard case .readOnly(let reason) = error else { return }
            XCTAssertTrue(reason.contains("No space left on device"), reason, file: file, line: line)
        }
    }

    func test_diskFull_readOnlyWithReason_thenResumesOnceSpaceReturns_andRestartReplaysExactlyTheAcknowledged()
        async throws
    {
        let fs = FaultyFileSystem()
        let p = try await open(fs)
        var acknowledged: [Int: String] = [:]
        for n in 0..<150 {
            _ = try await p.engine.commit([person(n, "a\(n)")])
            acknowledged[n] = "a\(n)"
        }
        fs.fillDisk()
        // The 64 KiB segment holds a few hundred small records: write until one needs room.
        var n = 150
        while p.engine.readOnlyReason == nil && n < 5_000 {
            do {
                _ = try await p.engine.commit([person(n, "a\(n)")])
                acknowledged[n] = "a\(n)"
            } catch EngineError.readOnly {}
            n += 1
        }
        XCTAssertNotNil(p.engine.readOnlyReason, "a full disk turns the engine read-only")
        await assertReadOnly(p.engine, person(9_000, "refused"))
        let resumedWhileFull = await p.engine.resumeWrites()
        XCTAssertFalse(resumedWhileFull, "no resumption while the disk is still full")
        XCTAssertNotNil(p.engine.readOnlyReason)
        let lastDurable = p.wal.durableLSN
        XCTAssertEqual(p.engine.lsn, lastDurable, "every durable commit is applied, none after it")

        fs.heal()
        let resumed = await p.engine.resumeWrites()
        XCTAssertTrue(resumed)
        XCTAssertNil(p.engine.readOnlyReason)
        let next = try await p.engine.commit([person(9_001, "after")])
        XCTAssertEqual(next.lsn, lastDurable + 1, "numbering continues after the last durable LSN")
        acknowledged[9_001] = "after"
        for m in 9_002..<9_400 {
            _ = try await p.engine.commit([person(m, "after")])
            acknowledged[m] = "after"
        }
        p.wal.close()

        let q = try await open()
        let count = await q.engine.count()
        XCTAssertEqual(count, acknowledged.count, "the restart replays exactly the acknowledged commits")
        let keys = acknowledged.keys.sorted()
        let records = await q.engine.records(for: keys.map { person($0, "").key })
        XCTAssertEqual(records.map { $0?.name.given }, keys.map { acknowledged[$0] })
        let refused = await q.engine.records(for: [person(9_000, "").key])[0]
        XCTAssertNil(refused)
        q.wal.close()
    }

    func test_scheduleRetriesOnItsOwn_andReportsTheOutageAndTheResumption() async throws {
        let fs = FaultyFileSystem()
        let p = try await open(fs)
        _ = try await p.engine.commit([person(1, "a")])
        let reports = ReportLog()
        p.scheduleSnapshots(everyWrites: nil, everySeconds: nil) { reports.add($0) }
        fs.failWrites(after: 0, errno: ENOSPC)
        await assertReadOnly(p.engine, person(2, "refused"))
        fs.heal()
        let deadline = Date().addingTimeInterval(10)
        while p.engine.readOnlyReason != nil && Date() < deadline { try await Task.sleep(nanoseconds: 100_000_000) }
        XCTAssertNil(p.engine.readOnlyReason, "the schedule resumes writes within seconds")
        _ = try await p.engine.commit([person(3, "c")])
        XCTAssertTrue(reports.all.contains { $0.hasPrefix("writes are refused") }, "\(reports.all)")
        XCTAssertTrue(reports.all.contains { $0.contains("writes resumed") }, "\(reports.all)")
        try await p.close(finalSnapshot: false)

        let q = try await open()
        let count = await q.engine.count()
        XCTAssertEqual(count, 2)
        q.wal.close()
    }

    func test_failedSnapshot_leavesNoTemporaryFile_andALaterOneSucceeds() async throws {
        let fs = FaultyFileSystem()
        let p = try await open(fs)
        _ = try await p.engine.commit((0..<50).map { person($0, "s") })
        fs.failWrites(after: 0, errno: ENOSPC)
        do {
            _ = try await p.snapshot()
            XCTFail("a snapshot on a full disk succeeded")
        } catch {}
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        XCTAssertFalse(names.contains { $0.hasSuffix(".tmp") }, "\(names)")
        XCTAssertNil(p.engine.readOnlyReason, "a failed snapshot does not stop writes")
        fs.heal()
        let info = try await p.snapshot()
        XCTAssertEqual(info.lsn, 50)
        try await p.close(finalSnapshot: false)
    }
}

/// Collects reports from background work.
final class ReportLog: Sendable {
    private let lines = Locked<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
