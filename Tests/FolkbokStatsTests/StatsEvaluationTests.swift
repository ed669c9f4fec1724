import FolkbokModel
import XCTest

@testable import FolkbokStats

/// Rows: exact counts, protocol order, periods clipped to the range, every path agreeing with a
/// naive computation from the raw events.
final class StatsEvaluationTests: XCTestCase {
    private let region = "SE2321000016-0001"

    private func query(
        _ method: StatsMethod = .get, _ from: String = "2026-11-01", _ to: String = "2026-11-30",
        _ granularity: StatsGranularity = .day, by: [StatsDimension] = [], sessions: Bool = false
    ) -> StatsQuery {
        StatsQuery(method: method, from: date(from), to: date(to), granularity: granularity, by: by, sessions: sessions)
    }

    func test_rows_exactCountsPerDimension() {
        var c = StatsCounters()
        c.record(lookup(.personGet, outcome: .full, ageBand: .young, sex: .female), count: 3)
        c.record(lookup(.personGet, outcome: .full, ageBand: .old, sex: .male), count: 2)
        c.record(lookup(.personSearch, purpose: .dental, profile: .P1, outcome: .limited))
        c.record(lookup(.extractCreate, user: nil, contract: .extended, outcome: .notFound), count: 4)
        c.record(lookup(customer: "other", category: .private, region: nil), count: 100)
        let expected: [StatsDimension: [([String?], UInt64)]] = [
            .method: [(["extract.create"], 4), (["person.get"], 5), (["person.search"], 1)],
            .category: [(["region"], 10)],
            .region: [(["01"], 10)],
            .user: [([nil], 4), (["anna"], 6)],
            .purpose: [(["care"], 9), (["dental"], 1)],
            .contract: [(["extended"], 4), (["normal"], 6)],
            .profile: [([nil], 9), (["P1"], 1)],
            .outcome: [(["full"], 5), (["limited"], 1), (["not_found"], 4)],
            .ageBand: [(["18-39"], 3), (["80+"], 2), (["unknown"], 5)],
            .sex: [(["F"], 3), (["M"], 2), (["unknown"], 5)],
        ]
        for (d, rows) in expected {
            let result = query(by: [d]).evaluate(over: [c], customer: region)
            XCTAssertEqual(
                result.rows, rows.map { StatsRow(period: "2026-11-23", values: $0.0, lookups: $0.1) }, d.rawValue)
        }
        XCTAssertEqual(
            query().evaluate(over: [c], customer: region).rows,
            [StatsRow(period: "2026-11-23", values: [], lookups: 10)])
        XCTAssertEqual(
            query(.open).evaluate(over: [c], customer: nil).rows,
            [StatsRow(period: "2026-11-23", values: [], lookups: 110)])
        XCTAssertEqual(
            query(.open, by: [.region, .category]).evaluate(over: [c], customer: nil).rows,
            [
                StatsRow(period: "2026-11-23", values: [nil, "private"], lookups: 100),
                StatsRow(period: "2026-11-23", values: ["01", "region"], lookups: 10),
            ])
    }

    func test_rows_orderedByPeriodThenValuesInTheOrderGiven_nullFirstThenCodePoint() {
        var c = StatsCounters()
        let users: [String?] = ["örjan", "bo", nil, "Åsa", "anna", "Bo"]
        for (i, u) in users.enumerated() {
            c.record(lookup(user: u, sex: .male, at: hour("2026-11-24", 1)))
            c.record(lookup(user: u, sex: .female, at: hour("2026-11-23", i)))
        }
        let rows = query(by: [.sex, .user]).evaluate(over: [c], customer: region).rows
        let order: [String?] = [nil, "Bo", "anna", "bo", "Åsa", "örjan"]
        XCTAssertEqual(
            rows.map(\.period), Array(repeating: "2026-11-23", count: 6) + Array(repeating: "2026-11-24", count: 6))
        XCTAssertEqual(rows.map(\.values), order.map { ["F", $0] } + order.map { ["M", $0] })
        let swapped = query(by: [.user, .sex]).evaluate(over: [c], customer: region).rows
        XCTAssertEqual(swapped.prefix(6).map(\.values), order.map { [$0, "F"] })
    }

    func test_monthAndYearRows_countOnlyEventsBetweenFromAndTo() {
        var c = StatsCounters()
        for (day, n) in [
            ("2025-12-31", 1), ("2026-01-31", 2), ("2026-02-01", 4), ("2026-02-15", 8), ("2026-02-20", 16),
            ("2026-02-21", 32), ("2026-03-01", 64),
        ] {
            c.record(lookup(at: hour(day, 23)), count: UInt64(n))
        }
        XCTAssertEqual(
            query(.get, "2026-02-01", "2026-02-20", .month).evaluate(over: [c], customer: region).rows,
            [StatsRow(period: "2026-02", values: [], lookups: 28)])
        XCTAssertEqual(
            query(.get, "2026-01-31", "2026-03-01", .month).evaluate(over: [c], customer: region).rows,
            [
                StatsRow(period: "2026-01", values: [], lookups: 2),
                StatsRow(period: "2026-02", values: [], lookups: 60),
                StatsRow(period: "2026-03", values: [], lookups: 64),
            ])
        XCTAssertEqual(
            query(.open, "2025-12-31", "2026-02-14", .year).evaluate(over: [c], customer: nil).rows,
            [
                StatsRow(period: "2025", values: [], lookups: 1), StatsRow(period: "2026", values: [], lookups: 6),
            ])
    }

    func test_hourRows_areLabelledWithTheUTCHour() {
        var c = StatsCounters()
        c.record(lookup(at: hour("2026-11-23", 0)))
        c.record(lookup(at: hour("2026-11-23", 9)), count: 2)
        c.record(lookup(.personSearch, at: hour("2026-11-23", 9)))
        c.record(lookup(at: hour("2026-11-24", 23)))
        XCTAssertEqual(
            query(.get, "2026-11-23", "2026-11-24", .hour, by: [.method]).evaluate(over: [c], customer: region).rows,
            [
                StatsRow(period: "2026-11-23T00", values: ["person.get"], lookups: 1),
                StatsRow(period: "2026-11-23T09", values: ["person.get"], lookups: 2),
                StatsRow(period: "2026-11-23T09", values: ["person.search"], lookups: 1),
                StatsRow(period: "2026-11-24T23", values: ["person.get"], lookups: 1),
            ])
    }

    func test_customerScope_seesOnlyItsOwnLookups_andAnUnknownCustomerNone() {
        var c = StatsCounters()
        c.record(lookup(), count: 2)
        c.record(lookup(customer: "other"), count: 5)
        XCTAssertEqual(query().evaluate(over: [c], customer: "other").rows.map(\.lookups), [5])
        XCTAssertEqual(query().evaluate(over: [c], customer: "nobody").rows, [])
        XCTAssertEqual(query().evaluate(over: [], customer: nil).rows, [])
    }

    func test_sessions_perPeriodAndUser_nullFirst_secondsRounded() {
        var c = StatsCounters()
        let h = hour("2026-11-23", 10)
        c.record(SessionEvent(customer: region, user: "bo", hour: h, seconds: 1.5))
        c.record(SessionEvent(customer: region, user: "bo", hour: h, seconds: 1.0))
        c.record(SessionEvent(customer: region, user: nil, hour: hour("2026-11-23", 22), seconds: 0.4999))
        c.record(SessionEvent(customer: region, user: "Bo", hour: hour("2026-11-24", 0), seconds: 10))
        c.record(SessionEvent(customer: region, user: "Bo", hour: hour("2026-12-01", 0), seconds: 10))
        c.record(SessionEvent(customer: "other", user: nil, hour: h, seconds: 99))
        let result = query(sessions: true).evaluate(over: [c], customer: region)
        XCTAssertEqual(
            result.sessions,
            [
                StatsSessionRow(period: "2026-11-23", user: nil, sessions: 1, seconds: 0),
                StatsSessionRow(period: "2026-11-23", user: "bo", sessions: 2, seconds: 3),
                StatsSessionRow(period: "2026-11-24", user: "Bo", sessions: 1, seconds: 10),
            ])
        XCTAssertEqual(query(sessions: false).evaluate(over: [c], customer: region).sessions, [])
        XCTAssertEqual(
            query(.get, "2026-11-01", "2026-11-30", .month, sessions: true).evaluate(over: [c], customer: region)
                .sessions,
            [
                StatsSessionRow(period: "2026-11", user: nil, sessions: 1, seconds: 0),
                StatsSessionRow(period: "2026-11", user: "Bo", sessions: 1, seconds: 10),
                StatsSessionRow(period: "2026-11", user: "bo", sessions: 2, seconds: 3),
            ])
    }

    /// Several owners, some counts settled and some pending, random queries: every path (the
    /// public roll-up, one customer, every customer by any dimension) gives the naive rows.
    func test_randomEventsAndQueries_matchANaiveComputation() {
        var factory = EventFactory(seed: 42)
        var events: [LookupEvent] = []
        var owners = [StatsCounters(), StatsCounters(), StatsCounters(retainsDrained: false)]
        var aggregate = StatsCounters()
        for i in 0..<6000 {
            let e = factory.lookupEvent()
            events.append(e)
            owners[i % 3].record(e)
            if i % 1000 == 999 { aggregate.apply(owners[2].drainDelta()) }
            if i == 3000 { _ = owners[0].drainDelta() }
        }
        let sources = [owners[0], owners[1], owners[2], aggregate]
        var rng = SeededGenerator(seed: 7)
        for round in 0..<150 {
            let method: StatsMethod = [.open, .get, .get][round % 3]
            var granularity = StatsGranularity.allCases[Int(rng.next() % 4)]
            if method == .open && granularity == .hour { granularity = .day }
            let allowed = StatsDimension.allCases.filter { method.allows($0) }.shuffled(using: &rng)
            let by = Array(allowed.prefix(Int(rng.next() % 4)))
            let start = factory.days[Int(rng.next() % UInt64(factory.days.count))]
            let end = CivilDate(daysSinceEpoch: start.daysSinceEpoch + Int(rng.next() % 40))
            let q = StatsQuery(method: method, from: start, to: end, granularity: granularity, by: by)
            let customer: String? =
                switch (method, round % 4) {
                case (.open, _), (_, 0): nil
                default: EventFactory.customers[Int(rng.next() % 4)].id
                }
            XCTAssertEqual(
                q.evaluate(over: sources, customer: customer).rows, naiveRows(events, q, customer: customer),
                "round \(round): \(q) customer \(customer ?? "all")")
        }
    }

    /// Enough lookups in two days that day blocks compact (sorted cells and their roll-up)
    /// while some stay pending: every path still gives the naive rows.
    func test_compactedDays_matchANaiveComputation() {
        var factory = EventFactory(seed: 77, from: date("2026-03-01"), days: 2)
        var events: [LookupEvent] = []
        var counters = StatsCounters()
        for i in 0..<24_000 {
            let e = factory.lookupEvent()
            events.append(e)
            counters.record(e)
            if i % 5000 == 4999 { _ = counters.drainDelta() }
        }
        XCTAssertTrue(counters.settled.days.values.contains { $0.cells.count > 4096 })
        for (d, block) in counters.settled.days {
            XCTAssertEqual(block.brokenInvariants(table: counters.table), [], "day \(d)")
        }
        let queries: [(StatsQuery, String?)] = [
            (
                StatsQuery(
                    method: .open, from: date("2026-03-01"), to: date("2026-03-02"), by: [.region, .method, .sex]), nil
            ),
            (
                StatsQuery(
                    method: .open, from: date("2026-03-02"), to: date("2026-03-02"), granularity: .month, by: [.ageBand]
                ), nil
            ),
            (
                StatsQuery(
                    method: .get, from: date("2026-03-01"), to: date("2026-03-02"), granularity: .hour,
                    by: [.user, .outcome]),
                EventFactory.customers[0].id
            ),
            (
                StatsQuery(
                    method: .get, from: date("2026-03-01"), to: date("2026-03-01"), by: [.profile, .purpose, .contract]),
                EventFactory.customers[3].id
            ),
            (StatsQuery(method: .get, from: date("2026-03-01"), to: date("2026-03-02"), by: [.user]), nil),
        ]
        for (q, customer) in queries {
            XCTAssertEqual(
                q.evaluate(over: [counters], customer: customer).rows, naiveRows(events, q, customer: customer), "\(q)")
        }
    }
}
