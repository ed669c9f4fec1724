import FolkbokStorage
import XCTest

final class WALTornTailTests: StorageTestCase {
    /// A one-segment log of five records; returns the directory, segment path and the last
    /// record's frame start and end.
    private func fiveRecordLog() async throws -> (dir: String, segment: String, start: Int, end: Int) {
        let dir = temporaryDirectory()
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 8 << 10)
        try await wal.append(Samples.entries(1...4, size: 40))
        try await wal.append(Samples.entries(5...5, size: 40))
        wal.close()
        let start = 24 + 4 * 56
        return (dir, segments(dir)[0], start, start + 56)
    }

    func testZeroingTheLastRecordFromEveryCutPointRecoversTheFirstFour() async throws {
        let log = try await fiveRecordLog()
        let original = readFile(log.segment)
        for cut in log.start..<log.end {
            var torn = original
            for i in cut..<log.end { torn[i] = 0 }
            writeFile(log.segment, torn)
            let (records, report) = try recoverAll(log.dir)
            XCTAssertEqual(records.map(\.lsn), [1, 2, 3, 4], "cut \(cut)")
            if cut == log.start {
                XCTAssertNil(report.truncatedTail)
            } else {
                XCTAssertEqual(report.truncatedTail?.file, log.segment, "cut \(cut)")
                XCTAssertEqual(report.truncatedTail?.offset, Int64(log.start), "cut \(cut)")
                XCTAssertTrue(readFile(log.segment)[log.start...].allSatisfy { $0 == 0 }, "tail zeroed, cut \(cut)")
            }
        }
    }

    func testCuttingTheFileShortAtEveryPointOfTheLastRecordRecoversTheFirstFour() async throws {
        let log = try await fiveRecordLog()
        let original = readFile(log.segment)
        for cut in log.start..<log.end {
            writeFile(log.segment, Array(original[..<cut]))
            let (records, report) = try recoverAll(log.dir)
            XCTAssertEqual(records.map(\.lsn), [1, 2, 3, 4], "cut \(cut)")
            XCTAssertEqual(report.truncatedTail?.offset, cut == log.start ? nil : Int64(log.start), "cut \(cut)")
        }
    }

    func testGarbageAfterATornRecordIsATornTailAndTheLogContinuesAfterIt() async throws {
        let log = try await fiveRecordLog()
        var torn = readFile(log.segment)
        var rng = SeededGenerator(seed: 3)
        for i in (log.start + 10)..<(log.end + 500) { torn[i] = UInt8.random(in: 0...255, using: &rng) }
        writeFile(log.segment, torn)
        let (records, report) = try recoverAll(log.dir)
        XCTAssertEqual(records.map(\.lsn), [1, 2, 3, 4])
        XCTAssertEqual(report.truncatedTail?.offset, Int64(log.start))
        XCTAssertGreaterThan(report.droppedBytes, 400)
        let wal = try WriteAheadLog.open(directory: log.dir, fs: RealFileSystem(), nextLSN: 5, segmentBytes: 8 << 10)
        try await wal.append(Samples.entries(5...6, size: 40))
        wal.close()
        XCTAssertEqual(segments(log.dir).count, 1)
        XCTAssertEqual(try recoverAll(log.dir).records.map(\.lsn), [1, 2, 3, 4, 5, 6])
    }

    func testBlankLastSegmentFromATornRotationIsRemoved() async throws {
        let log = try await fiveRecordLog()
        let blank = log.dir + "/wal-00000000000000000006.log"
        writeFile(blank, [UInt8](repeating: 0, count: 4096))
        let (records, report) = try recoverAll(log.dir)
        XCTAssertEqual(records.count, 5)
        XCTAssertEqual(report.truncatedTail?.file, blank)
        XCTAssertEqual(report.truncatedTail?.offset, 0)
        XCTAssertEqual(segments(log.dir), [log.segment])
    }
}
