import FolkbokModel
import XCTest

@testable import FolkbokStats

/// Deltas carry exactly what was recorded since the last drain; replaying them rebuilds the counts.
final class StatsDeltaTests: XCTestCase {
    func test_drainThenApply_equalsDirectCounting() throws {
        var factory = EventFactory(seed: 3)
        var owner = StatsCounters()
        var direct = StatsCounters()
        var replayed = StatsCounters()
        for round in 0..<40 {
            for _ in 0..<(round * 13 % 97) {
                let e = factory.lookupEvent()
                owner.record(e)
                direct.record(e)
            }
            if round % 3 == 0 {
                let s = factory.sessionEvent()
                owner.record(s)
                direct.record(s)
            }
            let delta = owner.drainDelta()
            XCTAssertTrue(owner.isDrained)
            replayed.apply(try StatsDelta(decoding: delta.encoded()))
        }
        XCTAssertEqual(replayed.lookupCounts(), direct.lookupCounts())
        XCTAssertEqual(replayed.sessionCounts(), direct.sessionCounts())
        XCTAssertEqual(owner.lookupCounts(), direct.lookupCounts())
    }

    func test_drain_holdsOnlyCountsSinceThePreviousDrain() {
        var c = StatsCounters()
        c.record(lookup(), count: 3)
        XCTAssertEqual(c.drainDelta().lookups, 3)
        let empty = c.drainDelta()
        XCTAssertTrue(empty.isEmpty)
        c.record(lookup(at: hour("2026-11-23", 9)))
        c.record(lookup())
        c.record(SessionEvent(customer: "c", user: nil, hour: hour("2026-11-23", 9), seconds: 1))
        let second = c.drainDelta()
        XCTAssertEqual(second.lookups, 2)
        XCTAssertEqual(second.sessions, 1)
        XCTAssertEqual(c.lookupCounts(), [lookup(): 4, lookup(at: hour("2026-11-23", 9)): 1])
    }

    func test_writeBuffer_dropsDrainedCounts_andAnAggregateOfItsDeltasHasThemAll() {
        var buffer = StatsCounters(retainsDrained: false)
        var aggregate = StatsCounters()
        var factory = EventFactory(seed: 9)
        var direct = StatsCounters()
        for i in 0..<3000 {
            let e = factory.lookupEvent()
            buffer.record(e)
            direct.record(e)
            if i % 250 == 249 {
                aggregate.apply(buffer.drainDelta())
                XCTAssertTrue(buffer.isEmpty)
            }
        }
        aggregate.apply(buffer.drainDelta())
        XCTAssertEqual(aggregate.lookupCounts(), direct.lookupCounts())
    }

    func test_applyingDeltasInAnyOrder_givesTheSameCounts() {
        var factory = EventFactory(seed: 21)
        var owner = StatsCounters()
        var deltas: [StatsDelta] = []
        for _ in 0..<10 {
            for _ in 0..<200 { owner.record(factory.lookupEvent()) }
            deltas.append(owner.drainDelta())
        }
        var forward = StatsCounters()
        var backward = StatsCounters()
        for d in deltas { forward.apply(d) }
        for d in deltas.reversed() { backward.apply(d) }
        XCTAssertEqual(forward.lookupCounts(), backward.lookupCounts())
        XCTAssertEqual(forward.lookupCounts(), owner.lookupCounts())
    }

    func test_delta_carriesOnlyTheDimensionValuesItUses() {
        var c = StatsCounters()
        c.record(lookup(customer: "first-customer", user: "first-user"))
        _ = c.drainDelta()
        c.record(lookup(customer: "second", user: nil))
        let delta = c.drainDelta()
        XCTAssertEqual(delta.batch.table.strings, ["second", "01"])
        XCTAssertEqual(delta.batch.table.callers.count, 1)
        XCTAssertEqual(delta.batch.lookups.count, 1)
    }
}
