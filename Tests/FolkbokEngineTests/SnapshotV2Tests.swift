import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokEngine

final class SnapshotV2Tests: XCTestCase {
    var directory = ""
    let fs = RealFileSystem()

    override func setUp() {
        directory = NSTemporaryDirectory() + "folkbok-snapshot-v2-" + UUID().uuidString.prefix(8)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func assertHolds(
        _ stores: [PersonStore], exactly records: [PersonRecord], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(stores.reduce(0) { $0 + $1.count }, records.count, file: file, line: line)
        for r in records {
            let key = IdentityKey(r.id)!
            XCTAssertEqual(
                stores[Engine.shardIndex(key, shardCount: stores.count)].record(for: key), r, file: file, line: line)
        }
    }

    func test_writeThenLoad_sameShardCount_everyRecordIdentical() throws {
        let records = SnapshotSamples.bulk(3_000) + SnapshotSamples.fixtureRecords
        let stores = SnapshotSamples.stores(records, shardCount: 3)
        let info = try Persistence.writeSnapshot(directory: directory, lsn: 77, stores: stores, fs: fs)
        XCTAssertEqual(info.version, 2)
        XCTAssertEqual(info.count, records.count)
        let (loaded, back) = try Persistence.loadSnapshot(path: info.path, fs: fs, shardCount: 3)
        XCTAssertEqual(loaded, info)
        assertHolds(back, exactly: records)
        XCTAssertEqual(back.map(\.allKeys), stores.map(\.allKeys), "images load in row order")
        XCTAssertEqual(try Persistence.verifySnapshot(path: info.path, fs: fs).get(), info)
    }

    func test_shardCountChange_fallsBackToReinsertingEveryRecord() throws {
        let records = SnapshotSamples.bulk(2_000)
        let info = try Persistence.writeSnapshot(
            directory: directory, lsn: 5, stores: SnapshotSamples.stores(records, shardCount: 3), fs: fs)
        for shardCount in [1, 2, 5] {
            let (_, stores) = try Persistence.loadSnapshot(path: info.path, fs: fs, shardCount: shardCount)
            XCTAssertEqual(stores.count, shardCount)
            assertHolds(stores, exactly: records)
        }
    }

    func test_versionOneSnapshot_stillLoads() throws {
        let records = SnapshotSamples.bulk(500)
        let info = try SnapshotFile.write(
            directory: directory, lsn: 3, records: records.map { (IdentityKey($0.id)!, $0) }, fs: fs)
        let (loaded, stores) = try Persistence.loadSnapshot(path: info.path, fs: fs, shardCount: 4)
        XCTAssertEqual(loaded.version, 1)
        assertHolds(stores, exactly: records)
        XCTAssertEqual(try Persistence.verifySnapshot(path: info.path, fs: fs).get().version, 1)
    }

    func test_twoHundredSeededByteFlips_areAllRejected() throws {
        let info = try Persistence.writeSnapshot(
            directory: directory, lsn: 9, stores: SnapshotSamples.stores(SnapshotSamples.bulk(400), shardCount: 2),
            fs: fs)
        let original = try Data(contentsOf: URL(fileURLWithPath: info.path))
        let damaged = directory + "/damaged.fbsnap"
        var rng = SplitMix(seed: 7)
        for _ in 0..<200 {
            var bytes = original
            let at = Int(rng.next() % UInt64(bytes.count))
            bytes[at] ^= UInt8(1 << (rng.next() % 8))
            try bytes.write(to: URL(fileURLWithPath: damaged))
            XCTAssertThrowsError(try Persistence.loadSnapshot(path: damaged, fs: fs, shardCount: 2), "flip at \(at)")
            guard case .failure = Persistence.verifySnapshot(path: damaged, fs: fs) else {
                return XCTFail("verify accepted flip at \(at)")
            }
        }
    }

    func test_seededTruncations_areAllRejected() throws {
        let info = try Persistence.writeSnapshot(
            directory: directory, lsn: 9, stores: SnapshotSamples.stores(SnapshotSamples.bulk(300), shardCount: 2),
            fs: fs)
        let original = try Data(contentsOf: URL(fileURLWithPath: info.path))
        let torn = directory + "/torn.fbsnap"
        var rng = SplitMix(seed: 11)
        for length in (0..<100).map({ _ in Int(rng.next() % UInt64(original.count)) }) + [
            0, 1, 31, 32, original.count - 1,
        ] {
            try original.prefix(length).write(to: URL(fileURLWithPath: torn))
            XCTAssertThrowsError(try Persistence.loadSnapshot(path: torn, fs: fs, shardCount: 2), "length \(length)")
        }
    }

    /// A writer bug, not disk damage: the checksums match but the image is not a valid store.
    func test_imageWithMatchingChecksumButInvalidContent_isRejected() throws {
        var image: [UInt8] = []
        SnapshotSamples.stores(SnapshotSamples.fixtureRecords, shardCount: 1)[0].writeImage(into: &image)
        image[8 + 16] = 0xEE
        let shard = SnapshotShardImage(records: 6, bytes: image.count) { [image] in $0.append(contentsOf: image) }
        let info = try SnapshotFile.writeImages(directory: directory, lsn: 1, shards: [shard], fs: fs)
        XCTAssertNoThrow(try SnapshotFile.verify(path: info.path, fs: fs).get(), "the checksums alone are fine")
        guard case .failure(let error) = Persistence.verifySnapshot(path: info.path, fs: fs) else {
            return XCTFail("accepted")
        }
        XCTAssertTrue(error.problem.contains("shard 0 image invalid"), error.problem)
        XCTAssertTrue(error.problem.contains("string id out of range"), error.problem)
        XCTAssertThrowsError(try Persistence.loadSnapshot(path: info.path, fs: fs, shardCount: 1))
    }

    func test_restartWithAnotherShardCount_recoversEverything() async throws {
        var config = PersistenceConfig(directory: directory)
        config.segmentBytes = 1 << 16
        let (p, _) = try await Persistence.open(config, shardCount: 3) { _ in }
        _ = try await p.engine.commit((0..<300).map { EngineCommitTests.person($0, tag: "a") })
        _ = try await p.snapshot()
        _ = try await p.engine.commit((300..<310).map { EngineCommitTests.person($0, tag: "b") })
        try await p.close(finalSnapshot: false)

        let (q, report) = try await Persistence.open(config, shardCount: 2) { _ in }
        XCTAssertEqual(report.snapshot?.version, 2)
        XCTAssertEqual(report.snapshot?.lsn, 300)
        XCTAssertEqual(report.replayed, 10)
        let count = await q.engine.count()
        XCTAssertEqual(count, 310)
        let found = await q.engine.records(for: (0..<310).map { EngineCommitTests.person($0, tag: "").key })
        XCTAssertEqual(
            found.map { $0?.name.given }, Array(repeating: "a", count: 300) + Array(repeating: "b", count: 10))
        q.wal.close()
    }
}

typealias SplitMix = SplitMix64
