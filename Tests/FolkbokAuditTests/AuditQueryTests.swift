import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// Queries against a naive filter over every entry (seeded, ~30 days), paging with cursors.
final class AuditQueryTests: AuditTestCase {
    private func naive(_ all: [AuditEntry], _ q: AuditQuery) -> [AuditEntry] {
        all.filter { e in
            (q.person == nil || e.person == q.person || e.resolved == q.person)
                && (q.customer == nil || e.customer == q.customer)
                && (q.from == nil || e.time >= q.from!) && (q.to == nil || e.time <= q.to!)
        }
    }

    /// Follows `next` cursors to the end, checking each page's size and cursor.
    private func allPages(_ log: AuditLog, _ q: AuditQuery) throws -> [AuditEntry] {
        var out: [AuditEntry] = []
        var query = q
        for _ in 0..<10_000 {
            let page = try log.query(query)
            XCTAssertLessThanOrEqual(page.entries.count, q.limit)
            out += page.entries
            guard let next = page.next else { return out }
            XCTAssertEqual(next, page.entries.last?.seq)
            query.after = next
        }
        XCTFail("paging did not end")
        return out
    }

    private func randomQuery(_ rng: inout SplitMix, persons: Int) -> AuditQuery {
        var q = AuditQuery(limit: Int(rng.next() % 40) + 1)
        switch rng.next() % 4 {
        case 0: q.person = EntryFactory.person(Int(rng.next() % UInt64(persons + 2)))
        case 1: q.customer = ["kund-a", "kund-b", "kund-c", "kund-d", "kund-e", "kund-x"][Int(rng.next() % 6)]
        case 2:
            q.person = EntryFactory.person(Int(rng.next() % UInt64(persons)))
            q.customer = ["kund-a", "kund-b"][Int(rng.next() % 2)]
        default: break
        }
        if rng.next() % 2 == 0 {
            let a = Self.epoch + Int64(rng.next() % UInt64(32 * Self.day))
            let b = Self.epoch + Int64(rng.next() % UInt64(32 * Self.day))
            (q.from, q.to) = (min(a, b), max(a, b))
        }
        return q
    }

    func testRandomQueriesWithPagingEqualNaiveFilterBeforeAndAfterReopen() async throws {
        let dir = temporaryDirectory()
        var factory = EntryFactory(seed: 30)
        var log = try open(dir)
        var all: [AuditEntry] = []
        for day in 0..<30 {
            let count = 20 + Int(factory.rng.next() % 60)
            all += try await append(log, factory.entries(count, start: Self.epoch + Int64(day) * Self.day, days: 1))
        }
        XCTAssertEqual(files(dir, prefix: "seal-").count, 29)
        var rng = SplitMix(seed: 99)
        for round in 0..<150 {
            if round == 75 {
                log.close()
                try FileManager.default.removeItem(atPath: XCTUnwrap(files(dir, prefix: "index-").dropFirst(3).first))
                log = try open(dir)
            }
            let q = randomQuery(&rng, persons: 40)
            XCTAssertEqual(try allPages(log, q), naive(all, q), "round \(round) \(q)")
        }
        log.close()
    }

    func testPersonQueryMatchesResolvedIdentityToo() async throws {
        let dir = temporaryDirectory()
        let log = try open(dir)
        let asked = EntryFactory.person(1), answered = EntryFactory.reserve
        let e = AuditEntry(
            time: Self.epoch, customer: "kund-a", user: nil, purpose: nil, contract: nil, method: "person.get",
            profile: nil, person: asked, resolved: answered, outcome: .full)
        try await append(log, [e, e])
        XCTAssertEqual(try log.query(AuditQuery(person: answered)).entries.map(\.seq), [1, 2])
        XCTAssertEqual(
            try log.query(AuditQuery(person: asked, limit: 1)),
            AuditPage(
                entries: [
                    {
                        var x = e
                        x.seq = 1
                        return x
                    }()
                ], next: 1))
        XCTAssertEqual(try log.query(AuditQuery(person: EntryFactory.person(2))).entries, [])
        log.close()
    }
}
