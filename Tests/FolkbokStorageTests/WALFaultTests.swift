import FolkbokStorage
import XCTest

final class WALFaultTests: StorageTestCase {
    /// Appends 1…10 (acknowledged), arms a fault, checks the next append and every later one
    /// throw, and that recovery shows exactly the acknowledged records.
    private func assertFailureSticks(
        segmentBytes: Int = 64 << 10, batch: Int = 10, arm: (FaultyFileSystem) -> Void, errno expected: Int32
    ) async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: segmentBytes)
        try await wal.append(Samples.entries(1...10, size: 200))
        arm(fs)
        do {
            try await wal.append(Samples.entries(11...UInt64(10 + batch), size: 200))
            XCTFail("append survived the fault")
        } catch {
            XCTAssertEqual(error.errno, expected)
        }
        XCTAssertEqual(wal.failure?.errno, expected)
        fs.heal()
        let next = UInt64(11 + batch)
        do {
            try await wal.append(Samples.entries(next...next, size: 200))
            XCTFail("append after a failure succeeded")
        } catch {
            XCTAssertEqual(error.errno, expected, "the first failure sticks")
        }
        wal.close()
        let (records, _) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...10))
    }

    func testNoSpaceOnWriteFailsTheAppendAndEveryLaterOne() async throws {
        try await assertFailureSticks(arm: { $0.failWrites(after: 0, errno: ENOSPC) }, errno: ENOSPC)
    }

    func testFailedFdatasyncFailsTheAppendAndHidesItsRecords() async throws {
        try await assertFailureSticks(arm: { $0.failSync(after: 0) }, errno: EIO)
    }

    func testShortWriteFailsTheAppendAndHidesItsRecords() async throws {
        try await assertFailureSticks(arm: { $0.shortWrite(after: 0) }, errno: EIO)
    }

    func testFailureWhileRotatingHidesTheWholeBatch() async throws {
        try await assertFailureSticks(segmentBytes: 8 << 10, batch: 60, arm: { $0.shortWrite(after: 1) }, errno: EIO)
    }

    func testSyncFailureAfterRotationHidesTheWholeBatch() async throws {
        try await assertFailureSticks(segmentBytes: 8 << 10, batch: 60, arm: { $0.failSync(after: 3) }, errno: EIO)
    }

    /// A batch of 3,000 records of 1,000 bytes (about 3 MiB) is written a MiB at a time: a
    /// write that fails after the first MiB reached the segment still hides the whole batch
    /// (the disk takes writes again, so the roll-back zeroes what went before).
    func testFailureAfterPartOfALargeBatchWasWrittenHidesTheWholeBatch() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 64 << 20)
        try await wal.append(Samples.entries(1...10, size: 200))
        let before = fs.counts.writes
        fs.shortWrite(after: 3)  // a MiB of zeros and a MiB of frames, zeros again, then half a write
        do {
            try await wal.append(Samples.entries(11...3_010, size: 1_000))
            XCTFail("append survived the fault")
        } catch {
            XCTAssertEqual(error.errno, EIO)
        }
        XCTAssertGreaterThanOrEqual(fs.counts.writes - before, 3, "part of the batch was written before the failure")
        wal.close()
        let (records, _) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...10))
    }
}
