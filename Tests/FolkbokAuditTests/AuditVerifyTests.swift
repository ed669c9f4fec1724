import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// `verify` accepts an untouched log and names the first tampered entry, from the files.
final class AuditVerifyTests: AuditTestCase {
    /// Three days of 25 entries each (seqs 1–25, 26–50, 51–75); days 1 and 2 are sealed.
    private func threeDays(_ dir: String) async throws -> AuditLog {
        var factory = EntryFactory(seed: 10)
        let log = try open(dir)
        for day in 0..<3 {
            try await append(log, factory.entries(25, start: Self.epoch + Int64(day) * Self.day, days: 1))
        }
        return log
    }

    /// The byte offset of entry `seq`'s payload within its segment `path` (first seq `first`).
    private func payloadOffset(_ path: String, first: UInt64, seq: UInt64) throws -> Int {
        let frames = try WriteAheadLog.readFrames(ofSegment: path, fs: RealFileSystem()).frames
        return try XCTUnwrap(frames.first { $0.lsn == seq }).offset + 16
    }

    func testUntouchedLogVerifies() async throws {
        let log = try await threeDays(temporaryDirectory())
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 75, firstBroken: nil))
        log.close()
    }

    func testFlippedByteInSealedSegmentNamesThatSeqAndOpenStillSucceeds() async throws {
        let dir = temporaryDirectory()
        var log = try await threeDays(dir)
        log.close()
        let segment = files(dir, prefix: "wal-")[1]
        var bytes = readFile(segment)
        bytes[try payloadOffset(segment, first: 26, seq: 37) + 12] ^= 0x04
        writeFile(segment, bytes)
        log = try open(dir)
        let result = try log.verify(from: nil, to: nil)
        XCTAssertFalse(result.valid)
        XCTAssertEqual(result.firstBroken, 37)
        log.close()
    }

    func testFlippedStoredHashNamesThatSeqWithoutReopen() async throws {
        let dir = temporaryDirectory()
        let log = try await threeDays(dir)
        let segment = files(dir, prefix: "wal-")[0]
        let frames = try WriteAheadLog.readFrames(ofSegment: segment, fs: RealFileSystem()).frames
        let frame = try XCTUnwrap(frames.first { $0.lsn == 9 })
        var bytes = readFile(segment)
        bytes[frame.offset + 16 + frame.payload.count - 1] ^= 0x80
        writeFile(segment, bytes)
        XCTAssertEqual(try log.verify(from: nil, to: nil).firstBroken, 9)
        log.close()
    }

    func testSealFileWithBadChecksumIsRebuiltFromEntriesAtOpen() async throws {
        let dir = temporaryDirectory()
        let log = try await threeDays(dir)
        let entries = try log.query(AuditQuery(limit: 100)).entries
        XCTAssertEqual(entries.count, 75)
        log.close()
        let sealPath = files(dir, prefix: "seal-")[1]
        var seal = readFile(sealPath)
        seal[50] ^= 1
        writeFile(sealPath, seal)
        let reopened = try open(dir)
        XCTAssertTrue(try reopened.verify(from: nil, to: nil).valid)
        XCTAssertEqual(readFile(sealPath).count, 112)
        reopened.close()
    }

    func testVerifyOverATimeRangeChecksOnlyThoseEntriesAndIgnoresDamageOutside() async throws {
        let dir = temporaryDirectory()
        let log = try await threeDays(dir)
        let segment = files(dir, prefix: "wal-")[0]
        var bytes = readFile(segment)
        bytes[try payloadOffset(segment, first: 1, seq: 3) + 12] ^= 0x01
        writeFile(segment, bytes)
        let dayTwo = try log.verify(from: Self.epoch + Self.day, to: Self.epoch + 2 * Self.day - 1)
        XCTAssertEqual(dayTwo, AuditVerification(valid: true, entries: 25, firstBroken: nil))
        XCTAssertEqual(try log.verify(from: nil, to: Self.epoch + Self.day - 1).firstBroken, 3)
        log.close()
    }
}
