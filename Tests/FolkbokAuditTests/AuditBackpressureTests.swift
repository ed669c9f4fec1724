import FolkbokAudit
import FolkbokStorage
import Foundation
import XCTest

/// A stalled disk turns into refusals, never into unbounded memory: entries that would pass the
/// bound on waiting entries are refused (`AuditError.overloaded`) and nothing is lost; once the
/// disk moves again everything queued becomes durable and the log takes entries again.
final class AuditBackpressureTests: AuditTestCase {
    func testStalledDiskRefusesEntriesPastTheBound_thenCatchesUp() async throws {
        let fs = FaultyFileSystem()
        let log = try open(temporaryDirectory(), fs: fs)
        log.limitQueue(to: 100)
        var factory = EntryFactory(seed: 21)
        fs.stallSyncs()
        // The writer takes the first entry and stalls in its sync; 100 more may wait.
        let first = try log.enqueue(factory.entry(time: Self.epoch))
        try await Task.sleep(nanoseconds: 100_000_000)
        var accepted: [AuditTicket] = [first]
        var refused = 0
        for i in 0..<150 {
            do {
                accepted.append(try log.enqueue(factory.entry(time: Self.epoch + Int64(i))))
            } catch let error as AuditError where error.isOverloaded {
                refused += 1
            }
        }
        XCTAssertEqual(accepted.count, 101, "the entry being written and the 100 the bound lets wait")
        XCTAssertEqual(refused, 50)
        fs.releaseSyncs()
        try await log.waitUntilDurable(try XCTUnwrap(accepted.last))
        // Caught up: entries are taken again, and exactly the accepted ones are in the log.
        try await append(log, [factory.entry(time: Self.epoch + 1_000)])
        XCTAssertEqual(try log.query(AuditQuery(limit: 1000)).entries.count, 102)
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 102, firstBroken: nil))
        log.close()
    }
}
