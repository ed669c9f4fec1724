import FolkbokStorage
import Foundation
import XCTest

/// A full disk (or an I/O error) stops the log; `resume` repairs it once the cause is gone,
/// appends continue after the last durable LSN, and recovery shows exactly what was acknowledged.
final class WALResumeTests: StorageTestCase {
    /// Frames of ~50 KB: twenty fill a 1 MiB growth step.
    private static let big = 50_000

    private func assertRecovers(
        _ dir: String, exactly lsns: [UInt64], size: Int, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let (records, _) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), lsns, file: file, line: line)
        XCTAssertEqual(records.map(\.payload), lsns.map { Samples.payload($0, size: size) }, file: file, line: line)
    }

    private func expectFailure(
        _ errno: Int32, _ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line
    ) async {
        do {
            try await body()
            XCTFail("expected errno \(errno)", file: file, line: line)
        } catch let error as FileError {
            XCTAssertEqual(error.errno, errno, file: file, line: line)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    func test_newSegment_isAllocatedOneGrowthStep_notItsWholeSize() throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 20)
        wal.close()
        let size = (try FileManager.default.attributesOfItem(atPath: segments(dir)[0])[.size] as? Int) ?? -1
        XCTAssertEqual(size, 1 << 20)
    }

    func test_segmentGrowsAsRecordsArrive_andRecoveryFindsTheEnd() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 8 << 20)
        for lsn in UInt64(1)...50 { try await wal.append(Samples.entries(lsn...lsn, size: Self.big)) }
        wal.close()
        XCTAssertEqual(segments(dir).count, 1)
        let size = (try FileManager.default.attributesOfItem(atPath: segments(dir)[0])[.size] as? Int) ?? -1
        XCTAssertEqual(size, 3 << 20, "50 frames of 50 KB take three 1 MiB steps")
        try assertRecovers(dir, exactly: Array(1...50), size: Self.big)
        let reopened = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 51, segmentBytes: 8 << 20)
        try await reopened.append(Samples.entries(51...60, size: Self.big))
        reopened.close()
        XCTAssertEqual(segments(dir).count, 1, "appends continue in the grown segment")
        try assertRecovers(dir, exactly: Array(1...60), size: Self.big)
    }

    func test_diskFullWhileGrowing_failsUntilSpaceReturns_thenAppendsContinueAfterTheLastDurableLSN() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 8 << 20)
        try await wal.append(Samples.entries(1...15, size: Self.big))
        fs.fillDisk()
        await expectFailure(ENOSPC) { try await wal.append(Samples.entries(16...30, size: Self.big)) }
        await expectFailure(ENOSPC) { _ = try wal.resume() }
        XCTAssertNotNil(wal.failure, "a resume that fails leaves the log failed")
        fs.heal()
        XCTAssertEqual(try wal.resume(), 15)
        XCTAssertNil(wal.failure)
        XCTAssertEqual(wal.generation, 1)
        try await wal.append(Samples.entries(16...40, size: Self.big))
        wal.close()
        try assertRecovers(dir, exactly: Array(1...40), size: Self.big)
    }

    func test_diskFullOnSegmentCreate_leavesNoHalfWrittenSegment_andResumes() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 256 << 10)
        try await wal.append(Samples.entries(1...4, size: Self.big))
        fs.fillDisk()
        await expectFailure(ENOSPC) { try await wal.append(Samples.entries(5...8, size: Self.big)) }
        XCTAssertEqual(
            segments(dir).map { String($0.suffix(28)) }, ["wal-00000000000000000001.log"],
            "the segment whose creation failed is gone")
        fs.heal()
        XCTAssertEqual(try wal.resume(), 4)
        try await wal.append(Samples.entries(5...12, size: Self.big))
        wal.close()
        try assertRecovers(dir, exactly: Array(1...12), size: Self.big)
    }

    func test_failedCreate_deletesTheFile() throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        fs.failWrites(after: 1, errno: ENOSPC)
        XCTAssertThrowsError(try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 4 << 20))
        XCTAssertEqual(segments(dir), [])
    }

    func test_failedSyncAndShortWrite_resumeOnceHealed() async throws {
        for arm in [
            { (fs: FaultyFileSystem) in fs.failSync(after: 0) }, { fs in fs.shortWrite(after: 0) },
            { fs in fs.failWrites(after: 0, errno: EIO) },
        ] {
            let dir = temporaryDirectory()
            let fs = FaultyFileSystem()
            let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 64 << 10)
            try await wal.append(Samples.entries(1...10, size: 200))
            arm(fs)
            await expectFailure(EIO) { try await wal.append(Samples.entries(11...20, size: 200)) }
            fs.heal()
            XCTAssertEqual(try wal.resume(), 10)
            try await wal.append(Samples.entries(11...500, size: 200))
            wal.close()
            try assertRecovers(dir, exactly: Array(1...500), size: 200)
        }
    }

    func test_failureWhileRotating_resumesInTheSegmentItStartedIn() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 8 << 10)
        try await wal.append(Samples.entries(1...10, size: 200))
        fs.failSync(after: 3)
        await expectFailure(EIO) { try await wal.append(Samples.entries(11...70, size: 200)) }
        fs.heal()
        XCTAssertEqual(try wal.resume(), 10)
        try await wal.append(Samples.entries(11...100, size: 200))
        wal.close()
        try assertRecovers(dir, exactly: Array(1...100), size: 200)
    }

    func test_ticketOfALostBatch_staysFailed_afterItsLSNsAreReusedAndDurable() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 64 << 10)
        try await wal.append(Samples.entries(1...3, size: 100))
        let kept = try wal.queue(Samples.entries(4...4, size: 100))
        try await wal.waitUntilDurable(kept)
        fs.failWrites(after: 0, errno: ENOSPC)
        let lost = try wal.queue(Samples.entries(5...6, size: 100))
        await expectFailure(ENOSPC) { try await wal.waitUntilDurable(lost) }
        fs.heal()
        XCTAssertEqual(try wal.resume(), 4)
        try await wal.append(Samples.entries(5...8, size: 100))
        await expectFailure(ENOSPC) { try await wal.waitUntilDurable(lost) }
        try await wal.waitUntilDurable(kept)
        wal.close()
        try assertRecovers(dir, exactly: Array(1...8), size: 100)
    }

    func test_resumeWithoutAFailure_onlyAnswersTheLastDurableLSN() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        try await wal.append(Samples.entries(1...3, size: 100))
        XCTAssertEqual(try wal.resume(), 3)
        XCTAssertEqual(wal.generation, 0)
        wal.close()
    }
}
