import FolkbokStorage
import Foundation
import XCTest

/// `restart(after:)`: a replica that installed its primary's snapshot jumps its log ahead; the
/// log goes on in a new segment, recovery after the snapshot's LSN skips the older segments,
/// and a reopened log continues after the jump.
final class WALRestartTests: StorageTestCase {
    func test_restartAfter_jumpsAhead_inANewSegment_andRecoveryAfterTheSnapshotFindsTheRest() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1)
        try await wal.append(Samples.entries(1...10))
        try wal.restart(after: 500)
        XCTAssertEqual(wal.durableLSN, 500)
        XCTAssertEqual(wal.segments.map(\.firstLSN), [1, 501])
        try await wal.append(Samples.entries(501...520))
        XCTAssertEqual(wal.durableLSN, 520)

        // Recovery from the snapshot at 500: only what follows it, even with the old segment there.
        let (records, _) = try recoverAll(dir, after: 500)
        XCTAssertEqual(records.map(\.lsn), Array(501...520))
        XCTAssertEqual(records.map(\.payload), (501...520).map { Samples.payload($0) })

        // The old segment goes once the snapshot covers it; a reopened log continues after 520.
        XCTAssertEqual(try wal.removeSegments(upTo: 500, keep: 0).count, 1)
        wal.close()
        let reopened = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 521)
        try await reopened.append(Samples.entries(521...521))
        reopened.close()
        XCTAssertEqual(try recoverAll(dir, after: 500).records.map(\.lsn), Array(501...521))
    }

    func test_restartBehindTheLog_orOfAClosedLog_throws() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1)
        try await wal.append(Samples.entries(1...10))
        XCTAssertThrowsError(try wal.restart(after: 5)) { XCTAssertEqual(($0 as? FileError)?.errno, EBUSY) }
        XCTAssertEqual(wal.durableLSN, 10)
        wal.close()
        XCTAssertThrowsError(try wal.restart(after: 50))
    }
}
