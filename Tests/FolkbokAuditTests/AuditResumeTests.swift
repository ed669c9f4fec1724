import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// After a full disk the access log refuses entries; `resumeAfterFailure` makes it take them
/// again, continuing the chain from the last durable entry, and lost entries stay lost.
final class AuditResumeTests: AuditTestCase {
    func testFullDiskThenResume_chainContinuesFromTheLastDurableEntry_andLostTicketsStayFailed() async throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        var factory = EntryFactory(seed: 11)
        let log = try open(dir, fs: fs)
        let kept = try await append(log, factory.entries(20, start: Self.epoch, days: 1))
        fs.failWrites(after: 0, errno: ENOSPC)
        let lost = try log.enqueue(factory.entries(3, start: Self.epoch + Self.day, days: 1))
        do {
            try await log.waitUntilDurable(lost)
            XCTFail("a lost entry was reported durable")
        } catch {}
        XCTAssertThrowsError(try log.resumeAfterFailure(), "no resumption while the disk refuses")
        XCTAssertThrowsError(try log.enqueue(factory.entries(1, start: Self.epoch + Self.day, days: 1)))
        fs.heal()
        try log.resumeAfterFailure()
        XCTAssertEqual(log.nextSeq, 21, "seqs continue after the last durable entry")
        let later = try await append(log, factory.entries(10, start: Self.epoch + Self.day, days: 1))
        XCTAssertEqual(later.map(\.seq), Array(21...30))
        do {
            try await log.waitUntilDurable(lost)
            XCTFail("a lost entry's ticket must keep failing after its seqs are reused")
        } catch {}
        XCTAssertEqual(try log.query(AuditQuery(limit: 1000)).entries, kept + later)
        let verified = try log.verify(from: nil, to: nil)
        XCTAssertTrue(verified.valid, "the chain holds across the failure")
        XCTAssertEqual(verified.entries, 30)
        log.close()

        let reopened = try open(dir)
        XCTAssertEqual(try reopened.query(AuditQuery(limit: 1000)).entries, kept + later)
        XCTAssertTrue(try reopened.verify(from: nil, to: nil).valid)
        reopened.close()
    }
}
