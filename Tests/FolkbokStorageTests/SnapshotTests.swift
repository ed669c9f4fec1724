import FolkbokModel
import FolkbokStorage
import XCTest

final class SnapshotTests: StorageTestCase {
    private let fs = RealFileSystem()

    private func readAll(_ path: String) throws(SnapshotError) -> (
        records: [(IdentityKey, PersonRecord)], info: SnapshotInfo
    ) {
        var records: [(IdentityKey, PersonRecord)] = []
        let info = try SnapshotFile.read(path: path, fs: fs) { records.append(($0, $1)) }
        return (records, info)
    }

    func testRecordsAndSectionsRoundTripAcrossSeveralChunks() throws {
        let dir = temporaryDirectory()
        let records =
            Samples.records(20_000) + [(IdentityKey(raw: 7), Samples.full), (IdentityKey(raw: 8), Samples.minimal)]
        let sections = ["counters": [1, 2, 3], "reserve-serials": [UInt8](repeating: 9, count: 1000), "empty": []]
        let written = try SnapshotFile.write(directory: dir, lsn: 4711, records: records, sections: sections, fs: fs)
        XCTAssertEqual(written.path, dir + "/snapshot-00000000000000004711.fbsnap")
        XCTAssertEqual(written.count, records.count)
        XCTAssertGreaterThan(written.bytes, 2 << 20, "several 1 MiB chunks")
        let (read, info) = try readAll(written.path)
        XCTAssertEqual(info, written)
        XCTAssertEqual(read.map(\.0), records.map(\.0))
        XCTAssertEqual(read.map(\.1), records.map(\.1))
        XCTAssertEqual(try SnapshotFile.verify(path: written.path, fs: fs).get(), written)
    }

    func testEmptySnapshotRoundTrips() throws {
        let dir = temporaryDirectory()
        let written = try SnapshotFile.write(directory: dir, lsn: 0, records: [], fs: fs)
        XCTAssertEqual(try readAll(written.path).info, written)
    }

    func testTwoHundredSeededBitFlipsAreAllRejectedByReadAndVerify() throws {
        let dir = temporaryDirectory()
        let written = try SnapshotFile.write(
            directory: dir, lsn: 9, records: Samples.records(6_000), sections: ["serials": [1, 2, 3, 4]], fs: fs)
        let original = readFile(written.path)
        let damaged = dir + "/damaged.fbsnap"
        var rng = SeededGenerator(seed: 2024)
        for _ in 0..<200 {
            let offset = Int.random(in: 0..<original.count, using: &rng)
            var bytes = original
            bytes[offset] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            writeFile(damaged, bytes)
            XCTAssertThrowsError(try readAll(damaged), "flip at \(offset)") { error in
                XCTAssertTrue("\(error)".contains(damaged), "\(error)")
            }
            guard case .failure = SnapshotFile.verify(path: damaged, fs: fs) else {
                return XCTFail("verify accepted flip at \(offset)")
            }
        }
    }

    func testTruncationAtSeededLengthsIsRejectedBeforeAnyRecordIsDelivered() throws {
        let dir = temporaryDirectory()
        let written = try SnapshotFile.write(directory: dir, lsn: 9, records: Samples.records(6_000), fs: fs)
        let original = readFile(written.path)
        let torn = dir + "/torn.fbsnap"
        var rng = SeededGenerator(seed: 77)
        for _ in 0..<100 {
            let length = Int.random(in: 0..<original.count, using: &rng)
            writeFile(torn, Array(original[..<length]))
            var delivered = 0
            XCTAssertThrowsError(
                try SnapshotFile.read(path: torn, fs: fs) { _, _ in delivered += 1 }, "length \(length)")
            XCTAssertEqual(delivered, 0, "length \(length)")
        }
    }

    func testCorruptChunkErrorNamesTheChunkOffsetAndNoRecordContents() throws {
        let dir = temporaryDirectory()
        var record = Samples.full
        record.name.surname = "Hemligsson"
        let written = try SnapshotFile.write(directory: dir, lsn: 1, records: [(IdentityKey(raw: 1), record)], fs: fs)
        var bytes = readFile(written.path)
        let at = bytes.indices.first { bytes[$0...].starts(with: Array("Hemligsson".utf8)) }!
        bytes[at] ^= 0x01
        writeFile(written.path, bytes)
        XCTAssertThrowsError(try readAll(written.path)) { error in
            let e = error as! SnapshotError
            XCTAssertEqual(e.offset, 32)
            XCTAssertEqual(e.problem, "chunk checksum mismatch")
            XCTAssertFalse(e.description.contains("emligsson"))
        }
    }

    func testListIsNewestFirstAndPruneKeepsTheNewestAndRemovesTemporaries() throws {
        let dir = temporaryDirectory()
        for lsn: UInt64 in [5, 300, 40] { _ = try SnapshotFile.write(directory: dir, lsn: lsn, records: [], fs: fs) }
        writeFile(dir + "/snapshot-00000000000000000999.fbsnap.tmp", [1, 2, 3])
        let listed = try SnapshotFile.list(directory: dir, fs: fs)
        XCTAssertEqual(
            listed.map { String($0.suffix(30)) },
            [
                "snapshot-00000000000000000300.fbsnap", "snapshot-00000000000000000040.fbsnap",
                "snapshot-00000000000000000005.fbsnap",
            ].map { String($0.suffix(30)) })
        let removed = try SnapshotFile.prune(directory: dir, keep: 2, fs: fs)
        XCTAssertEqual(removed.count, 2)
        XCTAssertEqual(try SnapshotFile.list(directory: dir, fs: fs), Array(listed[0..<2]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/snapshot-00000000000000000999.fbsnap.tmp"))
    }

    func testFailedWriteLeavesNoSnapshotAndNoTemporaryFile() throws {
        let dir = temporaryDirectory()
        let faulty = FaultyFileSystem()
        faulty.failWrites(after: 0, errno: ENOSPC)
        XCTAssertThrowsError(try SnapshotFile.write(directory: dir, lsn: 3, records: Samples.records(10), fs: faulty)) {
            error in
            XCTAssertEqual((error as? FileError)?.errno, ENOSPC)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [])
    }
}
