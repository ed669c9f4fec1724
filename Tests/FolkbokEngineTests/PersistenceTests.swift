import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokEngine

final class PersistenceTests: XCTestCase {
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "folkbok-persistence-" + UUID().uuidString.prefix(8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func config(_ fs: any FileSystem = RealFileSystem()) -> PersistenceConfig {
        var c = PersistenceConfig(directory: directory)
        c.segmentBytes = 1 << 16
        c.fs = fs
        return c
    }

    func open(_ c: PersistenceConfig) async throws -> (Persistence, StartupReport) {
        try await Persistence.open(c, shardCount: 3) { _ in }
    }

    func test_restart_recoversFromSnapshotAndLog() async throws {
        let (p, first) = try await open(config())
        XCTAssertTrue(first.wasEmpty)
        for batch in 0..<10 {
            _ = try await p.engine.commit(
                (0..<100).map { EngineCommitTests.person(batch * 100 + $0, tag: "b\(batch)") })
            if batch == 4 { _ = try await p.snapshot() }
        }
        _ = try await p.engine.commit([.remove(EngineCommitTests.person(5, tag: "").key)])
        try await p.close(finalSnapshot: false)

        let (q, report) = try await open(config())
        XCTAssertFalse(report.wasEmpty)
        XCTAssertEqual(report.snapshot?.lsn, 500)
        XCTAssertEqual(report.replayed, 501)
        XCTAssertEqual(q.engine.lsn, 1001)
        let count = await q.engine.count()
        XCTAssertEqual(count, 999)
        let record = await q.engine.records(for: [EngineCommitTests.person(777, tag: "").key])[0]
        XCTAssertEqual(record?.name.given, "b7")
        XCTAssertEqual(record?.version, 778)
        // New commits continue the numbering.
        let next = try await q.engine.commit([EngineCommitTests.person(5, tag: "again")])
        XCTAssertEqual(next.lsn, 1002)
        try await q.close(finalSnapshot: true)
    }

    /// A restart from a snapshot leaves the search index to build after it serves: the shards
    /// come up without one, and a search before the build still finds what the snapshot and
    /// the replayed log hold (the shard builds its index first), as does one after it.
    func test_restart_defersTheSearchIndex_andSearchesFindSnapshotAndLogRecords() async throws {
        let (p, _) = try await open(config())
        _ = try await p.engine.commit((0..<300).map { EngineCommitTests.person($0, tag: $0 < 200 ? "Anna" : "Berit") })
        _ = try await p.snapshot()
        _ = try await p.engine.commit((300..<350).map { EngineCommitTests.person($0, tag: "Anna") })
        _ = try await p.engine.commit([.remove(EngineCommitTests.person(7, tag: "").key)])
        try await p.close(finalSnapshot: false)

        let (q, _) = try await open(config())
        var deferred = 0
        for shard in q.engine.shards where !(await shard.storeCopy.searchIndexIsBuilt) { deferred += 1 }
        XCTAssertEqual(deferred, q.engine.shards.count, "no shard builds its index before serving")
        let anna = SearchCriteria(given: NamePattern("Anna"))
        let before = await q.engine.search(anna, after: nil, limit: 1_000)
        XCTAssertEqual(before.count, 249, "199 from the snapshot, 50 from the log")
        for shard in q.engine.shards {
            let built = await shard.storeCopy.searchIndexIsBuilt
            XCTAssertTrue(built)
        }
        await q.engine.trimAndRebuildSearchIndex()
        let after = await q.engine.search(anna, after: nil, limit: 1_000)
        XCTAssertEqual(after, before)
        let berit = await q.engine.search(SearchCriteria(given: NamePattern("Berit")), after: nil, limit: 1_000)
        XCTAssertEqual(berit.count, 100)
        try await q.close(finalSnapshot: false)
    }

    func test_failedLogWrite_isNotAcknowledged_andTheEngineTurnsReadOnly() async throws {
        let fs = FaultyFileSystem()
        let (p, _) = try await open(config(fs))
        _ = try await p.engine.commit([EngineCommitTests.person(1, tag: "a")])
        fs.failWrites(after: 0, errno: ENOSPC)
        do {
            _ = try await p.engine.commit([EngineCommitTests.person(2, tag: "b")])
            XCTFail("a write that did not reach the disk was acknowledged")
        } catch EngineError.readOnly(let reason) {
            XCTAssertTrue(reason.contains("read-only"), reason)
        }
        fs.heal()
        do {
            _ = try await p.engine.commit([EngineCommitTests.person(3, tag: "c")])
            XCTFail("failures stick until the log resumes")
        } catch EngineError.readOnly {}
        XCTAssertNotNil(p.engine.readOnlyReason)
        p.wal.close()

        let (q, _) = try await open(config())
        let count = await q.engine.count()
        XCTAssertEqual(count, 1, "only the acknowledged write survives")
        q.wal.close()
    }

    func test_failedSync_isNotAcknowledged() async throws {
        let fs = FaultyFileSystem()
        let (p, _) = try await open(config(fs))
        fs.failSync(after: 0)
        do {
            _ = try await p.engine.commit([EngineCommitTests.person(2, tag: "b")])
            XCTFail("a write whose fdatasync failed was acknowledged")
        } catch EngineError.readOnly {}
        p.wal.close()
    }

    func test_corruptNewestSnapshot_fallsBackToOlder() async throws {
        let (p, _) = try await open(config())
        _ = try await p.engine.commit((0..<50).map { EngineCommitTests.person($0, tag: "x") })
        _ = try await p.snapshot()
        _ = try await p.engine.commit((50..<60).map { EngineCommitTests.person($0, tag: "y") })
        let newest = try await p.snapshot()
        try await p.close(finalSnapshot: false)
        try flipByte(newest.path, at: 100)

        let (q, report) = try await open(config())
        XCTAssertEqual(report.snapshot?.lsn, 50)
        XCTAssertEqual(report.skippedSnapshots.count, 1)
        let count = await q.engine.count()
        XCTAssertEqual(count, 60, "the older snapshot plus the log reach the same state")
        q.wal.close()
    }

    func test_onlySnapshotCorrupt_refusesToStart_namingTheFile() async throws {
        let (p, _) = try await open(config())
        _ = try await p.engine.commit((0..<50).map { EngineCommitTests.person($0, tag: "x") })
        let info = try await p.snapshot()
        try await p.close(finalSnapshot: false)
        try flipByte(info.path, at: 200)
        do {
            _ = try await open(config())
            XCTFail("a corrupt only snapshot must not be loaded")
        } catch let error as StartupError {
            XCTAssertTrue(error.description.contains("snapshot-"), error.description)
            XCTAssertTrue(error.description.contains("restore"), error.description)
        }
    }

    func flipByte(_ path: String, at offset: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[offset] ^= 0xFF
        try data.write(to: URL(fileURLWithPath: path))
    }
}
