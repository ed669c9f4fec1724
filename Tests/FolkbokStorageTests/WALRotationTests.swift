import FolkbokStorage
import XCTest

/// `enqueue(_:startingSegmentsAt:)` starts segments where asked, and the frame reader sees them.
final class WALRotationTests: StorageTestCase {
    private func payload(_ n: UInt64) -> [UInt8] { Array("record \(n)".utf8) }

    func testRequestedLSNsBeginNewSegmentsExceptInAnEmptySegment() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        let ticket = try wal.enqueue((1...6).map { ($0, payload($0)) }, startingSegmentsAt: [1, 3, 5])
        try await wal.waitUntilDurable(ticket)
        XCTAssertEqual(wal.segments.map(\.firstLSN), [1, 3, 5])
        wal.close()
        let (records, _) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...6))
        let files = try WriteAheadLog.segmentFiles(in: dir, fs: RealFileSystem())
        XCTAssertEqual(files.map(\.firstLSN), [1, 3, 5])
        let middle = try WriteAheadLog.readFrames(ofSegment: files[1].path, fs: RealFileSystem())
        XCTAssertEqual(middle.frames.map(\.lsn), [3, 4])
        XCTAssertEqual(middle.frames.map(\.payload), [payload(3), payload(4)])
        XCTAssertTrue(middle.frames.allSatisfy(\.checksumValid))
    }

    func testFrameReaderReportsABadChecksumAndRecoveryCanSkipEarlierSegments() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        try await wal.append((1...4).map { ($0, payload($0)) })
        try await wal.waitUntilDurable(try wal.enqueue([(5, payload(5))], startingSegmentsAt: [5]))
        wal.close()
        let first = segments(dir)[0]
        var bytes = readFile(first)
        let frames = try WriteAheadLog.readFrames(ofSegment: first, fs: RealFileSystem()).frames
        bytes[frames[1].offset + 17] ^= 1
        writeFile(first, bytes)
        let damaged = try WriteAheadLog.readFrames(ofSegment: first, fs: RealFileSystem()).frames
        XCTAssertEqual(damaged.map(\.lsn), [1, 2, 3, 4])
        XCTAssertEqual(damaged.map(\.checksumValid), [true, false, true, true])
        XCTAssertThrowsError(try recoverAll(dir))
        var seen: [UInt64] = []
        _ = try WriteAheadLog.recover(
            directory: dir, fs: RealFileSystem(), after: 4, truncateCorruptTail: false, fromSegment: 5
        ) { lsn, _ in
            seen.append(lsn)
        }
        XCTAssertEqual(seen, [5])
    }
}
