import FolkbokStorage
import XCTest

final class WALCorruptionTests: StorageTestCase {
    private func log(records: UInt64, segmentBytes: Int) async throws -> String {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: segmentBytes)
        try await wal.append(Samples.entries(1...records, size: 100))
        wal.close()
        return dir
    }

    private func flip(_ path: String, at offset: Int) {
        var bytes = readFile(path)
        bytes[offset] ^= 0x10
        writeFile(path, bytes)
    }

    func testFlippedByteInAMiddleRecordNamesFileAndOffsetAndTellsTheOperatorWhatToDo() async throws {
        let dir = try await log(records: 10, segmentBytes: 64 << 10)
        let segment = segments(dir)[0]
        let fourth = 24 + 3 * 116
        flip(segment, at: fourth + 40)
        XCTAssertThrowsError(try recoverAll(dir)) { error in
            let e = error as! RecoveryError
            XCTAssertEqual(e.file, segment)
            XCTAssertEqual(e.offset, Int64(fourth))
            XCTAssertTrue(e.description.contains(segment) && e.description.contains("offset \(fourth)"), e.description)
            XCTAssertTrue(e.description.contains("--recover=truncate-log"), e.description)
        }
    }

    func testTruncatingAtACorruptMiddleRecordKeepsTheRecordsBeforeIt() async throws {
        let dir = try await log(records: 10, segmentBytes: 64 << 10)
        let segment = segments(dir)[0]
        let fourth = 24 + 3 * 116
        flip(segment, at: fourth + 2)
        let (records, report) = try recoverAll(dir, truncate: true)
        XCTAssertEqual(records.map(\.lsn), [1, 2, 3])
        XCTAssertEqual(report.truncatedTail?.offset, Int64(fourth))
        XCTAssertGreaterThan(report.droppedBytes, 6 * 100)
        XCTAssertEqual(try recoverAll(dir).records.count, 3)
    }

    func testFlippedByteInAnEarlierSegmentIsAnErrorEvenInItsLastRecord() async throws {
        let dir = try await log(records: 200, segmentBytes: 4 << 10)
        let files = segments(dir)
        XCTAssertGreaterThan(files.count, 3)
        let size = readFile(files[1]).count
        let lastInSecond = 24 + ((size - 24) / 116 - 1) * 116
        flip(files[1], at: lastInSecond + 20)
        XCTAssertThrowsError(try recoverAll(dir)) { error in
            XCTAssertEqual((error as? RecoveryError)?.file, files[1])
            XCTAssertEqual((error as? RecoveryError)?.offset, Int64(lastInSecond))
        }
        let (records, report) = try recoverAll(dir, truncate: true)
        XCTAssertEqual(records.last?.lsn, UInt64(2 * (size - 24) / 116 - 1))
        XCTAssertEqual(report.removedSegments, Array(files[2...]))
        XCTAssertEqual(segments(dir), Array(files[0...1]))
    }

    func testMissingMiddleSegmentIsAnLSNGap() async throws {
        let dir = try await log(records: 200, segmentBytes: 4 << 10)
        let files = segments(dir)
        try FileManager.default.removeItem(atPath: files[2])
        XCTAssertThrowsError(try recoverAll(dir)) { error in
            XCTAssertEqual((error as? RecoveryError)?.file, files[3])
            XCTAssertTrue("\(error)".contains("LSN"), "\(error)")
        }
    }

    func testCorruptHeaderOfTheFirstSegmentIsAnError() async throws {
        let dir = try await log(records: 200, segmentBytes: 4 << 10)
        let first = segments(dir)[0]
        flip(first, at: 3)
        XCTAssertThrowsError(try recoverAll(dir)) { error in
            XCTAssertEqual((error as? RecoveryError)?.file, first)
            XCTAssertEqual((error as? RecoveryError)?.offset, 0)
        }
    }
}
