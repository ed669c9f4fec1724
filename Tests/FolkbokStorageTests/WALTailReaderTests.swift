import FolkbokStorage
import Foundation
import XCTest

/// The reader replication ships records with: in order across segments, live as the log
/// grows, never past the limit, and `pruned` once the segments are gone.
final class WALTailReaderTests: XCTestCase {
    func payload(_ lsn: UInt64) -> [UInt8] {
        Array("record \(lsn) ".utf8) + [UInt8](repeating: UInt8(lsn % 251), count: Int(lsn % 97) + 40)
    }

    func test_readsEveryRecordInOrder_acrossSegments_andLive_thenReportsPruned() async throws {
        let dir = NSTemporaryDirectory() + "wal-tail-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        defer { wal.close() }
        var next: UInt64 = 1
        func append(_ count: Int) async throws {
            let batch = (0..<UInt64(count)).map { (next + $0, payload(next + $0)) }
            try await wal.append(batch)
            next += UInt64(count)
        }
        try await append(1500)
        XCTAssertGreaterThan(wal.segments.count, 2, "the test spans several segments")

        let reader = WALTailReader(wal: wal, after: 0)
        var seen: [(lsn: UInt64, payload: [UInt8])] = []
        while seen.count < 1000 { seen += try reader.read(upTo: 1000, maxRecords: 300, maxBytes: 1 << 20) }
        XCTAssertEqual(seen.count, 1000, "never past the limit")
        XCTAssertTrue(try reader.read(upTo: 1000, maxRecords: 300, maxBytes: 1 << 20).isEmpty)
        // Live: the log grows after the reader looked.
        try await append(700)
        while seen.count < 2200 { seen += try reader.read(upTo: wal.durableLSN, maxRecords: 500, maxBytes: 1 << 20) }
        XCTAssertEqual(seen.map(\.lsn), Array(1...2200))
        for record in seen { XCTAssertEqual(record.payload, payload(record.lsn)) }

        // From the middle of a segment.
        let middle = WALTailReader(wal: wal, after: 1234)
        XCTAssertEqual(try middle.read(upTo: 1240, maxRecords: 100, maxBytes: 1 << 20).map(\.lsn), Array(1235...1240))

        // Segments removed: what they held is reported pruned, the rest still reads.
        try wal.removeSegments(upTo: 1500, keep: 0)
        let oldest = try XCTUnwrap(wal.segments.first?.firstLSN)
        XCTAssertGreaterThan(oldest, 1)
        XCTAssertThrowsError(try WALTailReader(wal: wal, after: 0).read(upTo: 10, maxRecords: 10, maxBytes: 1 << 20)) {
            error in
            guard case WALTailReader.TailError.pruned(let wanted, let first) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(wanted, 1)
            XCTAssertEqual(first, oldest)
        }
        XCTAssertEqual(
            try WALTailReader(wal: wal, after: oldest - 1).read(upTo: oldest + 2, maxRecords: 10, maxBytes: 1 << 20)
                .map(\.lsn),
            [oldest, oldest + 1, oldest + 2])
    }
}
