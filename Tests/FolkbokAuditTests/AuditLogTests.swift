import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// Appending, recovering, daily segments, torn tails, configuration and sticky failures.
final class AuditLogTests: AuditTestCase {
    func testAppendedEntriesSurviveReopenWithChainIntactAndSeqsContinuing() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 1)
        var log = try open(dir)
        let first = try await append(log, factory.entries(50, start: Self.epoch, days: 1))
        XCTAssertEqual(first.map(\.seq), Array(1...50))
        log.close()
        log = try open(dir)
        let all = try log.query(AuditQuery(limit: 1000))
        XCTAssertEqual(all.entries, first)
        let second = try await append(log, factory.entries(5, start: Self.epoch + Self.day / 2, days: 1))
        XCTAssertEqual(second.map(\.seq), Array(51...55))
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 55, firstBroken: nil))
        log.close()
    }

    func testEntriesOfSeveralDaysGetOneSegmentPerDayAndEarlierDaysAreSealed() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 2)
        let log = try open(dir)
        for day in 0..<4 {
            try await append(log, factory.entries(20, start: Self.epoch + Int64(day) * Self.day, days: 1))
        }
        XCTAssertEqual(files(dir, prefix: "wal-").count, 4)
        XCTAssertEqual(files(dir, prefix: "seal-").count, 3)
        XCTAssertEqual(files(dir, prefix: "index-").count, 3)
        XCTAssertNil(log.sealFailure)
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 80, firstBroken: nil))
        log.close()
    }

    func testOneBatchSpanningMidnightIsSplitIntoTwoSegments() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 3)
        let log = try open(dir)
        let batch = [factory.entry(time: Self.epoch + Self.day - 1), factory.entry(time: Self.epoch + Self.day)]
        try await append(log, batch)
        XCTAssertEqual(
            files(dir, prefix: "wal-").map { ($0 as NSString).lastPathComponent },
            ["wal-00000000000000000001.log", "wal-00000000000000000002.log"])
        log.close()
    }

    func testTornTailIsCutAtRecoveryAndChainStaysValid() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 4)
        var log = try open(dir)
        try await append(log, factory.entries(30, start: Self.epoch, days: 1))
        try await append(log, factory.entries(10, start: Self.epoch + Self.day, days: 1))
        log.close()
        let last = try XCTUnwrap(files(dir, prefix: "wal-").last)
        var bytes = readFile(last)
        let end = bytes.lastIndex { $0 != 0 }!
        for i in (end - 40)...end { bytes[i] = 0 }
        writeFile(last, bytes)
        log = try open(dir)
        let verification = try log.verify(from: nil, to: nil)
        XCTAssertTrue(verification.valid)
        XCTAssertEqual(verification.entries, 39)
        let more = try await append(log, factory.entries(3, start: Self.epoch + Self.day, days: 1))
        XCTAssertEqual(more.map(\.seq), [40, 41, 42])
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 42, firstBroken: nil))
        log.close()
    }

    func testOpenWithRetentionShorterThanFiveYearsThrows() {
        XCTAssertThrowsError(
            try AuditLog.open(
                directory: temporaryDirectory(), fs: RealFileSystem(), retentionDays: 5 * 365, clock: { 0 })
        ) { error in
            XCTAssertTrue("\(error)".contains("at least 1826 days"), "\(error)")
        }
    }

    func testWriteFailureSticksForLaterEnqueuesAndWaits() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        var factory = EntryFactory(seed: 5)
        let log = try open(dir, fs: fs)
        try await append(log, factory.entries(3, start: Self.epoch, days: 1))
        fs.failWrites(after: 0, errno: ENOSPC)
        let ticket = try log.enqueue(factory.entries(2, start: Self.epoch, days: 1))
        do {
            try await log.waitUntilDurable(ticket)
            XCTFail("wait must throw after ENOSPC")
        } catch let error as FileError {
            XCTAssertEqual(error.errno, ENOSPC)
        }
        fs.heal()
        XCTAssertThrowsError(try log.enqueue(factory.entries(1, start: Self.epoch, days: 1)))
        do {
            try await log.waitUntilDurable(ticket)
            XCTFail("later waits must throw too")
        } catch {}
        XCTAssertEqual(try log.query(AuditQuery(limit: 100)).entries.count, 3)
        log.close()
    }
}
