import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokAudit

/// Sealing from what the writer kept in memory: the segment is not read back.
final class AuditSealingTests: AuditTestCase {
    func testFinishedSegmentIsSealedFromMemoryEvenWhenItsFramesCanNoLongerBeRead() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 7)
        let log = try open(dir)
        await durable(log, try log.enqueue(factory.entries(200, start: Self.epoch, days: 1)))
        await durable(log, try log.enqueue(factory.entries(3, start: Self.epoch + Self.day, days: 1)))
        let segment = files(dir, prefix: "wal-")[0]
        let original = readFile(segment)
        let copy = segment + ".copy"
        writeFile(copy, original)
        let scanned = try AuditSealer.scan(segment: copy, firstSeq: 1, lastSeq: 200, fs: RealFileSystem())
        XCTAssertTrue(scanned.complete)
        // Zero every frame: a seal that read the segment back would find no entry at all.
        writeFile(
            segment,
            Array(original[0..<WriteAheadLog.firstFrameOffset])
                + [UInt8](repeating: 0, count: original.count - WriteAheadLog.firstFrameOffset))
        try FileManager.default.removeItem(atPath: copy)

        log.sealFinishedSegments()

        XCTAssertNil(log.sealFailure)
        let seal = try XCTUnwrap(AuditSeal.decode(readFile(try XCTUnwrap(files(dir, prefix: "seal-").first))))
        XCTAssertEqual(seal.firstSeq, 1)
        XCTAssertEqual(seal.lastSeq, 200)
        XCTAssertEqual(seal.lastHash, scanned.lastHash)
        XCTAssertEqual(seal.minTime, scanned.minTime)
        XCTAssertEqual(seal.maxTime, scanned.maxTime)
        let index = readFile(try XCTUnwrap(files(dir, prefix: "index-").first))
        XCTAssertTrue(
            index == AuditIndexFile.build(scanned.pairs, firstSeq: 1, lastSeq: 200),
            "the index differs from the segment's")
        XCTAssertEqual(readFile(segment).count, scanned.end, "the finished segment is trimmed to its last frame")
        log.close()
    }

    func testSealedFromMemoryAndFromTheFileGiveTheSameQueriesAndAValidChain() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 8)
        var log = try open(dir)
        var appended: [AuditEntry] = []
        for day in 0..<3 {
            appended += try await append(log, factory.entries(150, start: Self.epoch + Int64(day) * Self.day, days: 1))
        }
        log.sealFinishedSegments()
        XCTAssertEqual(files(dir, prefix: "seal-").count, 2)
        let person = try XCTUnwrap(appended.compactMap(\.person).first)
        let fromMemory = try log.query(AuditQuery(person: person, limit: 1000))
        log.close()
        // Rebuild the indexes from the segments and compare.
        for index in files(dir, prefix: "index-") { try FileManager.default.removeItem(atPath: index) }
        log = try open(dir)
        XCTAssertEqual(try log.query(AuditQuery(person: person, limit: 1000)), fromMemory)
        XCTAssertEqual(fromMemory.entries, appended.filter { $0.person == person || $0.resolved == person })
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 450, firstBroken: nil))
        log.close()
    }

    /// Waits for `ticket` without sealing (as the event loops do).
    private func durable(_ log: AuditLog, _ ticket: AuditTicket) async {
        let done = expectation(description: "durable")
        log.whenDurable(ticket) { ok in
            XCTAssertTrue(ok)
            done.fulfill()
        }
        await fulfillment(of: [done], timeout: 10)
    }
}
