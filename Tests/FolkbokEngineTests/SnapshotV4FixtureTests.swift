import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokEngine

/// The golden version 4 snapshot in Snapshots/fixtures/ (P4 details stored as the memory arena
/// keeps them, in row order): today's writer must produce it byte for byte, it must keep
/// loading, and the version 3 file of the same records must load to the same stores. Regenerate
/// only when the format version changes, with FOLKBOK_WRITE_FIXTURES=1.
final class SnapshotV4FixtureTests: XCTestCase {
    static let fixtures = SnapshotV2FixtureTests.fixtures
    static let records = SnapshotV3FixtureTests.records

    private func scratch() throws -> String {
        let work = NSTemporaryDirectory() + "folkbok-v4-fixture-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: work) }
        return work
    }

    func testFixture_isWhatTodaysWriterWrites() throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        let stores = SnapshotSamples.stores(Self.records, shardCount: 2)
        let info = try Persistence.writeSnapshot(directory: try scratch(), lsn: 9, stores: stores, fs: RealFileSystem())
        XCTAssertEqual(info.version, 4)
        let written = try Data(contentsOf: URL(fileURLWithPath: info.path))
        let fixture = URL(fileURLWithPath: Self.fixtures + "/v4-snapshot.fbsnap")
        if regenerate { try written.write(to: fixture) }
        XCTAssertEqual(written, try Data(contentsOf: fixture))
    }

    func testFixtureLoadsEveryRecord_intoAnyShardCount() throws {
        try SnapshotV3FixtureTests.assertLoadsEveryRecord(Self.fixtures + "/v4-snapshot.fbsnap", version: 4)
    }

    /// A server upgraded from version 3 loads the old file and its next snapshot is version 4:
    /// the same bytes as the fixture, so nothing was lost on the way.
    func testVersionThreeFile_loadsAndIsWrittenBackAsTheVersionFourFixture() throws {
        let (_, stores) = try Persistence.loadSnapshot(
            path: Self.fixtures + "/v3-snapshot.fbsnap", fs: RealFileSystem(), shardCount: 2)
        let info = try Persistence.writeSnapshot(directory: try scratch(), lsn: 9, stores: stores, fs: RealFileSystem())
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: info.path)),
            try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/v4-snapshot.fbsnap")))
    }

    /// A store without P4 data or history still writes version 2 (old binaries keep reading it).
    func testStoresWithoutDetailsStillWriteVersionTwo() throws {
        let stores = SnapshotSamples.stores(SnapshotSamples.fixtureRecords, shardCount: 2)
        XCTAssertEqual(
            try Persistence.writeSnapshot(directory: try scratch(), lsn: 9, stores: stores, fs: RealFileSystem())
                .version, 2)
    }
}
