import FolkbokStorage
import XCTest

/// The version 2 container with opaque images: what goes in comes out, and every damaged byte
/// is caught by the structure or a checksum before any image reaches the caller.
final class SnapshotImagesTests: StorageTestCase {
    private let fs = RealFileSystem()

    private func images(seed: UInt64, sizes: [Int]) -> [[UInt8]] {
        var rng = SeededGenerator(seed: seed)
        return sizes.map { n in (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
    }

    private func write(_ dir: String, _ images: [[UInt8]], lsn: UInt64 = 9, sections: [String: [UInt8]] = [:]) throws
        -> SnapshotInfo
    {
        let shards = images.enumerated().map { i, image in
            SnapshotShardImage(records: i + 1, bytes: image.count) { $0.append(contentsOf: image) }
        }
        return try SnapshotFile.writeImages(directory: dir, lsn: lsn, shards: shards, sections: sections, fs: fs)
    }

    private func readImages(_ path: String) throws(SnapshotError) -> [[UInt8]] {
        let images = try SnapshotContents.load(path: path, fs: fs).images()
        var out: [[UInt8]] = []
        for i in 0..<images.shardCount { out.append(try images.withShard(i) { Array($0) }) }
        return out
    }

    func testImagesAndSectionsRoundTrip() throws {
        let dir = temporaryDirectory()
        let written = images(seed: 1, sizes: [1000, 0, 70_000])
        let info = try write(dir, written, lsn: 4711, sections: ["counters": [1, 2, 3], "empty": []])
        XCTAssertEqual(info.path, dir + "/snapshot-00000000000000004711.fbsnap")
        XCTAssertEqual(info.version, 2)
        XCTAssertEqual(info.count, 1 + 2 + 3)
        XCTAssertEqual(info.bytes, readFile(info.path).count)
        XCTAssertEqual(try readImages(info.path), written)
        let contents = try SnapshotContents.load(path: info.path, fs: fs)
        XCTAssertEqual(contents.version, 2)
        let loaded = try contents.images()
        XCTAssertEqual(loaded.info, info)
        XCTAssertEqual((0..<3).map { loaded.records(inShard: $0) }, [1, 2, 3])
        XCTAssertEqual(try SnapshotFile.verify(path: info.path, fs: fs).get(), info)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: dir),
            [info.path.split(separator: "/").last.map(String.init)!],
            "no temporary file left behind")
    }

    func testVersionsAreNotMixedUp() throws {
        let dir = temporaryDirectory()
        let v2 = try write(dir, images(seed: 2, sizes: [10]))
        XCTAssertThrowsError(try SnapshotFile.read(path: v2.path, fs: fs) { _, _ in XCTFail("delivered a record") }) {
            error in
            XCTAssertTrue("\(error)".contains("holds store images"), "\(error)")
        }
        let v1 = try SnapshotFile.write(directory: dir, lsn: 3, records: [], fs: fs)
        XCTAssertThrowsError(try SnapshotContents.load(path: v1.path, fs: fs).images())
        XCTAssertEqual(try SnapshotFile.verify(path: v1.path, fs: fs).get().version, 1)
    }

    func testTwoHundredSeededBitFlipsAreAllRejected() throws {
        let dir = temporaryDirectory()
        let info = try write(dir, images(seed: 3, sizes: [3000, 5000]), sections: ["serials": [1, 2, 3, 4]])
        let original = readFile(info.path)
        let damaged = dir + "/damaged.fbsnap"
        var rng = SeededGenerator(seed: 2025)
        for _ in 0..<200 {
            let offset = Int.random(in: 0..<original.count, using: &rng)
            var bytes = original
            bytes[offset] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            writeFile(damaged, bytes)
            XCTAssertThrowsError(try readImages(damaged), "flip at \(offset)") { error in
                XCTAssertTrue("\(error)".contains(damaged), "\(error)")
            }
            guard case .failure = SnapshotFile.verify(path: damaged, fs: fs) else {
                return XCTFail("verify accepted flip at \(offset)")
            }
        }
    }

    func testEveryTruncationIsRejectedBeforeAnyImageIsHandedOut() throws {
        let dir = temporaryDirectory()
        let info = try write(dir, images(seed: 4, sizes: [200, 300]), sections: ["a": [7]])
        let original = readFile(info.path)
        let torn = dir + "/torn.fbsnap"
        for length in 0..<original.count {
            writeFile(torn, Array(original[..<length]))
            XCTAssertThrowsError(try SnapshotContents.load(path: torn, fs: fs).images(), "length \(length)")
        }
    }

    func testFailedWriteLeavesNoFile() throws {
        let dir = temporaryDirectory()
        let faulty = FaultyFileSystem()
        faulty.failWrites(after: 1)
        let shards = images(seed: 5, sizes: [100, 100, 100]).map { image in
            SnapshotShardImage(records: 1, bytes: image.count) { $0.append(contentsOf: image) }
        }
        XCTAssertThrowsError(try SnapshotFile.writeImages(directory: dir, lsn: 1, shards: shards, fs: faulty))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }
}
