import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokEngine

/// Golden version 2 files in Snapshots/fixtures/: they must keep loading (and keep being
/// rejected) exactly so. Regenerate only when the format version changes, with
/// FOLKBOK_WRITE_FIXTURES=1, and update FORMAT.md's "Fixtures" with the new offsets (the
/// assertions on `secondShardOffset` and `flippedByte` name them).
final class SnapshotV2FixtureTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots/fixtures").path
    static let shardCount = 2
    /// Shard 1's frame offset, and the byte flipped inside its image in the corrupt fixture.
    static let secondShardOffset = 948
    static let flippedByte = 979

    /// Writes the v2 fixtures again (into a scratch directory, or over the committed ones with
    /// FOLKBOK_WRITE_FIXTURES=1) and compares them with the committed bytes.
    func testFixtures_areWhatTodaysWriterWrites() throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        let work = NSTemporaryDirectory() + "folkbok-v2-fixture-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let stores = SnapshotSamples.stores(SnapshotSamples.fixtureRecords, shardCount: Self.shardCount)
        XCTAssertTrue(stores.allSatisfy { $0.count > 0 }, "both shards hold records")
        let info = try Persistence.writeSnapshot(directory: work, lsn: 5, stores: stores, fs: RealFileSystem())
        var bytes = try Data(contentsOf: URL(fileURLWithPath: info.path))
        let dir = regenerate ? Self.fixtures : work
        try bytes.write(to: URL(fileURLWithPath: dir + "/v2-snapshot.fbsnap"))
        let second = 36 + 20 + stores[0].imageByteCount
        let flipped = second + 20 + 8 + 3
        XCTAssertEqual(second, Self.secondShardOffset)
        XCTAssertEqual(flipped, Self.flippedByte)
        bytes[flipped] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: dir + "/v2-snapshot-corrupt.fbsnap"))
        for name in ["v2-snapshot.fbsnap", "v2-snapshot-corrupt.fbsnap"] where !regenerate {
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)),
                try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)), name)
        }
    }

    func testV2FixtureLoadsExactlyTheSixRecords() throws {
        let path = Self.fixtures + "/v2-snapshot.fbsnap"
        let records = SnapshotSamples.fixtureRecords
        for shardCount in [Self.shardCount, 3] {
            let (info, stores) = try Persistence.loadSnapshot(path: path, fs: RealFileSystem(), shardCount: shardCount)
            XCTAssertEqual(info.version, 2)
            XCTAssertEqual(info.lsn, 5)
            XCTAssertEqual(info.count, records.count)
            XCTAssertEqual(info.sections, [:])
            XCTAssertEqual(stores.reduce(0) { $0 + $1.count }, records.count)
            for r in records {
                let key = IdentityKey(r.id)!
                XCTAssertEqual(
                    stores[Engine.shardIndex(key, shardCount: shardCount)].record(for: key), r, "\(shardCount) shards")
            }
        }
    }

    func testV2FixtureIsWhatTheWriterProducesToday() throws {
        let work = NSTemporaryDirectory() + "folkbok-v2-fixture-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let stores = SnapshotSamples.stores(SnapshotSamples.fixtureRecords, shardCount: Self.shardCount)
        let info = try Persistence.writeSnapshot(directory: work, lsn: 5, stores: stores, fs: RealFileSystem())
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: info.path)),
            try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/v2-snapshot.fbsnap")),
            "the v2 layout changed: that needs a new format version, not a new fixture")
    }

    func testV2CorruptFixtureIsRejectedNamingTheShardOffset() {
        let path = Self.fixtures + "/v2-snapshot-corrupt.fbsnap"
        for result in [
            SnapshotFile.verify(path: path, fs: RealFileSystem()),
            Persistence.verifySnapshot(path: path, fs: RealFileSystem()),
        ] {
            guard case .failure(let error) = result else { return XCTFail("accepted") }
            XCTAssertEqual(error.path, path)
            XCTAssertEqual(error.offset, Self.secondShardOffset)
            XCTAssertEqual(error.problem, "shard 1 image checksum mismatch")
        }
        XCTAssertThrowsError(
            try Persistence.loadSnapshot(path: path, fs: RealFileSystem(), shardCount: Self.shardCount))
    }
}
