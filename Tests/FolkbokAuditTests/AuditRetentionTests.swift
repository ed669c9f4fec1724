import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// Retention drops whole old days, never younger ones, and the chain stays verifiable.
final class AuditRetentionTests: AuditTestCase {
    func testRemoveExpiredDeletesOnlyDaysOlderThanRetentionAndChainStillVerifies() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 20)
        let retention = Int64(AuditLog.minimumRetentionDays)
        let days: [Int64] = [0, 1, 2, 3, 4]
        let now = Self.epoch + (retention + 2) * Self.day
        var log = try AuditLog.open(
            directory: dir, fs: RealFileSystem(), retentionDays: Int(retention), clock: { now }, segmentBytes: 64 << 10)
        for day in days { try await append(log, factory.entries(10, start: Self.epoch + day * Self.day, days: 1)) }
        XCTAssertEqual(files(dir, prefix: "wal-").count, 5)
        let removed = try log.removeExpired()
        // Days 0 and 1 end before `now - retention`; day 2 starts exactly at it, so it stays.
        XCTAssertEqual(removed.filter { $0.contains("/wal-") }.count, 2)
        XCTAssertEqual(
            files(dir, prefix: "wal-").map { ($0 as NSString).lastPathComponent }.first, "wal-00000000000000000021.log")
        XCTAssertEqual(files(dir, prefix: "seal-").count, 2)
        XCTAssertEqual(files(dir, prefix: "index-").count, 2)
        let remaining = try log.query(AuditQuery(limit: 1000)).entries
        XCTAssertEqual(remaining.first?.seq, 21)
        XCTAssertTrue(remaining.allSatisfy { $0.time >= now - retention * Self.day })
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 30, firstBroken: nil))
        XCTAssertEqual(try log.removeExpired(), [])
        log.close()
        log = try AuditLog.open(
            directory: dir, fs: RealFileSystem(), retentionDays: Int(retention), clock: { now }, segmentBytes: 64 << 10)
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 30, firstBroken: nil))
        log.close()
    }

    func testNothingIsRemovedWhileEveryDayIsWithinRetention() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 21)
        let log = try open(dir, now: Self.epoch + 10 * Self.day)
        for day in 0..<3 {
            try await append(log, factory.entries(5, start: Self.epoch + Int64(day) * Self.day, days: 1))
        }
        XCTAssertEqual(try log.removeExpired(), [])
        XCTAssertEqual(files(dir, prefix: "wal-").count, 3)
        log.close()
    }

    func testNewestSealedSegmentIsKeptEvenWhenExpired() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 22)
        let far = Self.epoch + 4000 * Self.day
        let log = try open(dir, now: far)
        for day in 0..<3 {
            try await append(log, factory.entries(5, start: Self.epoch + Int64(day) * Self.day, days: 1))
        }
        XCTAssertEqual(try log.removeExpired().filter { $0.contains("/wal-") }.count, 1)
        XCTAssertEqual(files(dir, prefix: "wal-").count, 2)
        XCTAssertTrue(try log.verify(from: nil, to: nil).valid)
        log.close()
    }
}
