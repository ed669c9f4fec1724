import FolkbokStorage
import FolkbokSync
import Synchronization
import XCTest

final class WALRoundTripTests: StorageTestCase {
    func testTenThousandRecordsAcrossSmallSegmentsRecoverExactly() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        var lsn: UInt64 = 1
        while lsn <= 10_000 {
            let last = min(lsn + 99, 10_000)
            try await wal.append(Samples.entries(lsn...last))
            lsn = last + 1
        }
        XCTAssertEqual(wal.durableLSN, 10_000)
        let expectedBytes = (1...10_000).reduce(0) { $0 + 16 + Samples.payload(UInt64($1)).count }
        XCTAssertEqual(wal.totalBytes, expectedBytes)
        wal.close()
        XCTAssertGreaterThan(segments(dir).count, 5)
        let (records, report) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...10_000))
        XCTAssertTrue(records.allSatisfy { $0.payload == Samples.payload($0.lsn) })
        XCTAssertNil(report.truncatedTail)
        XCTAssertEqual(report.lastLSN, 10_000)
        XCTAssertEqual(report.segments, segments(dir).count)
        let (later, _) = try recoverAll(dir, after: 9_990)
        XCTAssertEqual(later.map(\.lsn), Array(9_991...10_000))
    }

    /// One batch of about 3 MiB, larger than the writer's buffer, across a rotation (2.5 MiB
    /// segments): written in pieces, recovered exactly, and the log goes on after it.
    func testOneBatchLargerThanTheWriteBufferRecoversExactly() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 5 << 19)
        try await wal.append(Samples.entries(1...3_000, size: 1_000))
        try await wal.append(Samples.entries(3_001...3_010))
        wal.close()
        XCTAssertEqual(segments(dir).count, 2)
        let (records, report) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...3_010))
        XCTAssertTrue(records.allSatisfy { $0.payload == Samples.payload($0.lsn, size: $0.lsn <= 3_000 ? 1_000 : nil) })
        XCTAssertNil(report.truncatedTail)
    }

    func testReopenedLogContinuesInTheLastSegmentAndCountsItsBytes() async throws {
        let dir = temporaryDirectory()
        var wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        try await wal.append(Samples.entries(1...10, size: 100))
        wal.close()
        let (_, report) = try recoverAll(dir)
        wal = try WriteAheadLog.open(
            directory: dir, fs: RealFileSystem(), nextLSN: report.lastLSN! + 1, segmentBytes: 64 << 10)
        XCTAssertEqual(wal.totalBytes, 10 * 116)
        try await wal.append(Samples.entries(11...20, size: 100))
        wal.close()
        XCTAssertEqual(segments(dir).count, 1)
        XCTAssertEqual(try recoverAll(dir).records.map(\.lsn), Array(1...20))
    }

    func testFiftyConcurrentAppendersAreAllDurableInLSNOrderAndShareSyncs() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let wal = try WriteAheadLog.open(directory: dir, fs: fs, nextLSN: 1, segmentBytes: 256 << 10)
        let syncsBefore = fs.counts.syncs
        let next = LSNCounter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<50 {
                group.addTask {
                    for round in 0..<20 {
                        let count = UInt64(1 + (task + round) % 3)
                        let ticket = try next.lsn.withLock { (lsn) throws(FileError) -> UInt64 in
                            let entries = Samples.entries(lsn...(lsn + count - 1), size: 200)
                            lsn += count
                            return try wal.enqueue(entries)
                        }
                        try await wal.waitUntilDurable(ticket)
                        XCTAssertGreaterThanOrEqual(wal.durableLSN, ticket)
                    }
                }
            }
            try await group.waitForAll()
        }
        let last = next.lsn.withLock { $0 } - 1
        XCTAssertLessThan(fs.counts.syncs - syncsBefore, 1000, "appends should share fdatasyncs")
        wal.close()
        let (records, _) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...last))
        XCTAssertTrue(records.allSatisfy { $0.payload == Samples.payload($0.lsn, size: 200) })
    }

    func testRemoveSegmentsDeletesOnlyFullyCoveredSegmentsAndKeepsTheNewest() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 16 << 10)
        for start in stride(from: UInt64(1), through: 1000, by: 50) {
            try await wal.append(Samples.entries(start...(start + 49), size: 200))
        }
        let before = wal.segmentPaths
        let firstLSNs = before.map { UInt64($0.suffix(24).prefix(20))! }
        let bytesBefore = wal.totalBytes
        let covered = firstLSNs.firstIndex { $0 > 500 }! - 1
        let removed = try wal.removeSegments(upTo: 500, keep: 1)
        XCTAssertEqual(removed, Array(before[0..<(covered - 1)]))
        XCTAssertEqual(wal.segmentPaths, Array(before[(covered - 1)...]))
        XCTAssertEqual(segments(dir), wal.segmentPaths)
        XCTAssertLessThan(wal.totalBytes, bytesBefore)
        XCTAssertEqual(try wal.removeSegments(upTo: 0, keep: 0), [])
        XCTAssertEqual(try wal.removeSegments(upTo: 5000, keep: 0), Array(before[(covered - 1)..<(before.count - 1)]))
        XCTAssertEqual(wal.segmentPaths, [before.last!])
        try await wal.append(Samples.entries(1001...1001, size: 200))
        wal.close()
        let (records, _) = try recoverAll(dir, after: 1000)
        XCTAssertEqual(records.map(\.lsn), [1001])
    }

    func testLogMissingTheRecordsAfterTheSnapshotIsAnError() async throws {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 100, segmentBytes: 16 << 10)
        try await wal.append(Samples.entries(100...110))
        wal.close()
        XCTAssertThrowsError(try recoverAll(dir, after: 50)) { error in
            guard case .missingRecords(let needed, let starts)? = (error as? RecoveryError)?.kind else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(needed, 51)
            XCTAssertEqual(starts, 100)
        }
        XCTAssertEqual(try recoverAll(dir, after: 99).records.count, 11)
    }

    func testAppendAfterCloseThrows() async throws {
        let wal = try WriteAheadLog.open(
            directory: temporaryDirectory(), fs: RealFileSystem(), nextLSN: 1, segmentBytes: 16 << 10)
        wal.close()
        do {
            try await wal.append(Samples.entries(1...1))
            XCTFail("append after close succeeded")
        } catch {
            XCTAssertEqual(error.errno, EBADF)
        }
    }
}

/// The test's LSN dispenser: appenders take LSNs and enqueue under its lock, as the engine does.
final class LSNCounter: Sendable {
    let lsn = Locked<UInt64>(1)
}
