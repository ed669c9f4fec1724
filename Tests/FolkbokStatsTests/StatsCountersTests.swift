import FolkbokModel
import XCTest

@testable import FolkbokStats

/// Recording counts every dimension exactly, in every hour order, and merging owners equals
/// counting in one.
final class StatsCountersTests: XCTestCase {
    func test_record_countsEachDistinctTupleExactly() {
        var c = StatsCounters()
        let a = lookup()
        let b = lookup(user: "bo")
        let d = lookup(outcome: .limited)
        let e = lookup(.personGetMany, profile: .P1)
        for _ in 0..<3 { c.record(a) }
        c.record(b)
        c.record(a)
        c.record(d, count: 4)
        c.record(e)
        XCTAssertEqual(c.lookupCounts(), [a: 4, b: 1, d: 4, e: 1])
        XCTAssertEqual(c.lookupTotal, 10)
    }

    func test_record_everyDimensionSeparatesCells() {
        let base = lookup()
        let variants: [LookupEvent] = [
            base, lookup(.reserveGet), lookup(customer: "other"), lookup(category: .municipality), lookup(region: "03"),
            lookup(region: nil), lookup(user: nil), lookup(purpose: .dental), lookup(contract: .extended),
            lookup(profile: .P3), lookup(outcome: .notFound), lookup(ageBand: .old), lookup(sex: .unknown),
            lookup(at: hour("2026-11-23", 11)), lookup(at: hour("2026-11-24", 10)),
        ]
        XCTAssertEqual(Set(variants).count, variants.count)
        var c = StatsCounters()
        for (i, e) in variants.enumerated() { c.record(e, count: UInt64(i + 1)) }
        XCTAssertEqual(
            c.lookupCounts(), Dictionary(uniqueKeysWithValues: variants.enumerated().map { ($1, UInt64($0 + 1)) }))
    }

    func test_record_hoursOutOfOrder_areCountedInTheirOwnHour() {
        var c = StatsCounters()
        let hours = [10, 11, 9, 11, 10, 12, 3, 12, 11].map { hour("2026-11-23", $0) }
        for h in hours { c.record(lookup(at: h)) }
        var expected: [LookupEvent: UInt64] = [:]
        for h in hours { expected[lookup(at: h), default: 0] += 1 }
        XCTAssertEqual(c.lookupCounts(), expected)
    }

    func test_record_sessions_sumCountsAndExactMicroseconds() {
        var c = StatsCounters()
        let h = hour("2026-11-23", 10)
        c.record(SessionEvent(customer: "c", user: "u", hour: h, seconds: 0.1))
        c.record(SessionEvent(customer: "c", user: "u", hour: h, seconds: 0.2))
        c.record(SessionEvent(customer: "c", user: nil, hour: h, seconds: 5))
        XCTAssertEqual(
            c.sessionCounts(),
            [
                SessionCellKey(customer: "c", user: "u", hour: h): SessionTotals(count: 2, micros: 300_000),
                SessionCellKey(customer: "c", user: nil, hour: h): SessionTotals(count: 1, micros: 5_000_000),
            ])
    }

    func test_randomEvents_countsEqualANaiveTally() {
        var factory = EventFactory(seed: 11)
        var c = StatsCounters()
        var naive: [LookupEvent: UInt64] = [:]
        for _ in 0..<5000 {
            let e = factory.lookupEvent()
            let n = UInt64(factory.rng.next() % 3 + 1)
            c.record(e, count: n)
            naive[e, default: 0] += n
        }
        XCTAssertEqual(c.lookupCounts(), naive)
    }

    func test_merge_perOwnerCountersEqualCountingInOne() {
        var factory = EventFactory(seed: 5)
        var single = StatsCounters()
        var owners = [StatsCounters](repeating: StatsCounters(), count: 4)
        for i in 0..<4000 {
            let e = factory.lookupEvent()
            single.record(e)
            owners[i % 4].record(e)
            if i % 7 == 0 {
                let s = factory.sessionEvent()
                single.record(s)
                owners[(i / 7) % 4].record(s)
            }
            if i % 900 == 0 { _ = owners[i % 4].drainDelta() }
        }
        var merged = StatsCounters()
        for o in owners { merged.merge(o) }
        XCTAssertEqual(merged.lookupCounts(), single.lookupCounts())
        XCTAssertEqual(merged.sessionCounts(), single.sessionCounts())
    }

    func test_merge_keepsPendingCountsPending() {
        var connection = StatsCounters()
        connection.record(lookup())
        var shard = StatsCounters()
        shard.record(lookup(user: "x"))
        _ = shard.drainDelta()
        shard.merge(connection)
        XCTAssertFalse(shard.isDrained)
        let delta = shard.drainDelta()
        XCTAssertEqual(delta.lookups, 1)
        var replay = StatsCounters()
        replay.apply(delta)
        XCTAssertEqual(replay.lookupCounts(), [lookup(): 1])
    }

    func test_hoursAtTheEdges_areClamped() {
        XCTAssertEqual(StatsHour(index: .max).index, StatsHour.last)
        XCTAssertEqual(StatsHour(unixMicros: .max).index, StatsHour.last)
        var c = StatsCounters()
        c.record(lookup(at: StatsHour(index: 0)))
        c.record(lookup(at: StatsHour(index: .max)))
        XCTAssertEqual(
            c.lookupCounts(), [lookup(at: StatsHour(index: 0)): 1, lookup(at: StatsHour(index: StatsHour.last)): 1])
        XCTAssertEqual(try StatsCounters(decoding: c.encoded()).lookupCounts(), c.lookupCounts())
    }

    func test_pendingTable_growsAndEmptiesAcrossManyDrains() {
        var c = StatsCounters()
        var factory = EventFactory(seed: 31)
        var naive: [LookupEvent: UInt64] = [:]
        for size in [1, 3000, 10, 40_000, 5, 0, 2] {
            for _ in 0..<size {
                let e = factory.lookupEvent()
                c.record(e)
                naive[e, default: 0] += 1
            }
            XCTAssertEqual(c.lookupCounts(), naive)
            let delta = c.drainDelta()
            XCTAssertTrue(c.isDrained)
            XCTAssertEqual(delta.lookups, UInt64(size))
        }
        XCTAssertEqual(c.lookupCounts(), naive)
    }

    func test_evaluate_overTwoSources_countsACustomerKnownToOnlyOne() {
        var a = StatsCounters()
        var b = StatsCounters()
        a.record(lookup(customer: "only-in-a"), count: 2)
        b.record(lookup(customer: "other"), count: 3)
        _ = b.drainDelta()
        let q = StatsQuery(method: .get, from: date("2026-11-23"), to: date("2026-11-23"))
        XCTAssertEqual(q.evaluate(over: [a, b], customer: "only-in-a").rows.map(\.lookups), [2])
        XCTAssertEqual(q.evaluate(over: [b, a], customer: "only-in-a").rows.map(\.lookups), [2])
        XCTAssertEqual(
            StatsQuery(method: .open, from: date("2026-11-23"), to: date("2026-11-23")).evaluate(
                over: [a, b], customer: nil
            )
            .rows.map(\.lookups), [5])
    }
}
