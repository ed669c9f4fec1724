import FolkbokModel
import FolkbokProtocol
import FolkbokStats
import Foundation

/// `folkbok-bench stats-counters [--events N]`, in-process (build with -c release).
///
/// Records a year of lookups (`--events`, default 10 M) from a national mix of
/// customers the way the server would: a write buffer per owner drained every 10,000 events,
/// each delta encoded (for the log) and applied to one aggregate. Then times the queries on
/// the aggregate, above all a year of daily public counters by method, region, age band and
/// sex, and the durable form. Prints `STATS-BENCH` lines.
struct StatsCountersBench {
    private struct Caller {
        var customer: String
        var category: CustomerCategory
        var region: String?
        var users: [String?]
        var purpose: Purpose
    }

    /// 21 regions, 60 municipalities, 20 private providers; about 1,300 staff ids.
    private func callers() -> [Caller] {
        let regions = [
            "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13", "14", "17", "18", "19", "20", "21", "22",
            "23", "24", "25",
        ]
        var out: [Caller] = []
        for (i, r) in regions.enumerated() {
            out.append(
                Caller(
                    customer: "SE23210000\(r)-0001", category: .region, region: r,
                    users: (0..<(20 + i * 2)).map { "r\(r)-u\($0)" } + [nil], purpose: .care))
        }
        for m in 0..<60 {
            let r = regions[m % regions.count]
            out.append(
                Caller(
                    customer: "SE2120000\(m)-\(r)80", category: .municipality, region: r,
                    users: (0..<5).map { "m\(m)-u\($0)" }, purpose: .municipal))
        }
        for p in 0..<20 {
            out.append(
                Caller(
                    customer: "SE55600000\(p)-0001", category: .private, region: nil,
                    users: (0..<8).map { "p\(p)-u\($0)" } + [nil], purpose: .care))
        }
        return out
    }

    /// Events in time order, spread evenly over 2025. A session asks 1 to 8 times in a row with
    /// one method and profile; each answer is another person (outcome, age band, sex vary).
    private struct Stream {
        let callers: [Caller]
        let total: Int
        var rng = SplitMix64(seed: 2026)
        var made = 0
        let first = day("2025-01-01").daysSinceEpoch

        mutating func next(_ n: Int, into events: inout [LookupEvent]) {
            events.removeAll(keepingCapacity: true)
            let methods: [LookupMethod] = [
                .personGet, .personGet, .personGet, .personGetMany, .personSearch, .extractCreate, .reserveGet,
            ]
            let outcomes: [LookupOutcome] = Array(repeating: .full, count: 18) + [.limited, .notFound]
            let bands: [AgeBand] = [.child, .young, .young, .middle, .middle, .senior, .old, .unknown]
            while events.count < n && made < total {
                let c = callers[Int(rng.next() % UInt64(callers.count))]
                let user = c.users[Int(rng.next() % UInt64(c.users.count))]
                let method = methods[Int(rng.next() % UInt64(methods.count))]
                let profile: Profile? = [nil, .P1, .P2, .P3][Int(rng.next() % 4)]
                let h = StatsHour(index: UInt32(first * 24 + made * 365 * 24 / total))
                for _ in 0..<min(Int(rng.next() % 8 + 1), n - events.count, total - made) {
                    events.append(
                        LookupEvent(
                            method: method, customer: c.customer, category: c.category, region: c.region, user: user,
                            purpose: c.purpose, contract: .normal, profile: profile,
                            outcome: outcomes[Int(rng.next() % 20)],
                            ageBand: bands[Int(rng.next() % 8)], sex: rng.next() % 2 == 0 ? .female : .male, hour: h))
                    made += 1
                }
            }
        }
    }

    private let clock = ContinuousClock()

    private func ns(_ d: Duration, per n: Int) -> Double {
        (Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9) / Double(n)
    }

    private func ms(_ d: Duration) -> Double { ns(d, per: 1) / 1e6 }

    private func best(_ runs: Int = 7, _ body: () -> Void) -> Duration {
        var fastest = Duration.seconds(3600)
        for _ in 0..<runs {
            let start = clock.now
            body()
            fastest = min(fastest, clock.now - start)
        }
        return fastest
    }

    /// A year of `total` events recorded, drained, encoded and applied; then the queries.
    func run(total: Int) {
        var stream = Stream(callers: callers(), total: total)
        var buffer = StatsCounters(retainsDrained: false)
        var aggregate = StatsCounters()
        var batch: [LookupEvent] = []
        var record = Duration.zero, drain = Duration.zero, encode = Duration.zero, apply = Duration.zero
        var deltaBytes = 0
        var deltas = 0
        while stream.made < total {
            stream.next(10_000, into: &batch)
            let t0 = clock.now
            for e in batch { buffer.record(e) }
            let t1 = clock.now
            let delta = buffer.drainDelta()
            let t2 = clock.now
            deltaBytes += delta.encoded().count
            let t3 = clock.now
            aggregate.apply(delta)
            let t4 = clock.now
            record += t1 - t0
            drain += t2 - t1
            encode += t3 - t2
            apply += t4 - t3
            deltas += 1
        }
        precondition(aggregate.lookupTotal == UInt64(total), "the aggregate lost events")
        print(
            String(
                format:
                    "STATS-BENCH %d events, national mix (a new session every 4.5 events): record %.0f ns/event, drain %.0f, delta encode %.0f, apply to the aggregate %.0f; %d deltas of 10k events, %.1f bytes/event",
                total, ns(record, per: total), ns(drain, per: total), ns(encode, per: total), ns(apply, per: total),
                deltas,
                Double(deltaBytes) / Double(total)))

        // Recording alone: the same event again and again; one session whose answers vary (a
        // connection's own counters); 1,000 sessions taking turns event by event (one counters
        // for every connection).
        var same = StatsCounters(retainsDrained: false)
        let one = LookupEvent(
            method: .personGet, customer: "SE2321000016-0001", category: .region, region: "01", user: "anna",
            purpose: .care,
            contract: .normal, profile: nil, outcome: .full, ageBand: .young, sex: .female,
            hour: StatsHour(index: 480_000))
        let sameTime = best(3) { for _ in 0..<10_000_000 { same.record(one) } }
        print(
            String(
                format: "STATS-BENCH record the same event again and again: %.1f ns/event",
                ns(sameTime, per: 10_000_000)))
        for sessions in [1, 1000] {
            let events = (0..<sessions).flatMap { s in
                (0..<16).map { v in
                    LookupEvent(
                        method: .personGet, customer: "SE2321000016-\(s % 50)", category: .region, region: "01",
                        user: "user-\(s)", purpose: .care, contract: .normal, profile: nil, outcome: .full,
                        ageBand: AgeBand.allCases[v % 6], sex: v % 2 == 0 ? .female : .male,
                        hour: StatsHour(index: 480_000))
                }
            }
            var c = StatsCounters(retainsDrained: false)
            let n = 5_000_000
            let t = best(3) {
                for i in 0..<n {
                    c.record(events[sessions == 1 ? i % 16 : (i % sessions) * 16 + (i / sessions) % 16])
                    if i % 10_000 == 9_999 { _ = c.drainDelta() }
                }
            }
            print(
                String(
                    format:
                        "STATS-BENCH record with %d session(s) taking turns: %.1f ns/event (including a drain every 10k)",
                    sessions, ns(t, per: n)))
        }

        let year = (day("2025-01-01"), day("2025-12-31"))
        let open = StatsQuery(method: .open, from: year.0, to: year.1, by: [.method, .region, .ageBand, .sex])
        var result = open.evaluate(over: [aggregate], customer: nil)
        var answer: [UInt8] = []
        let evaluate = best { result = open.evaluate(over: [aggregate], customer: nil) }
        let render = best { answer = result.openAnswer(threshold: .default) }
        let both = best { answer = open.evaluate(over: [aggregate], customer: nil).openAnswer(threshold: .default) }
        let suppressed = result.rows.filter { $0.lookups < 5 }.count
        print(
            String(
                format:
                    "STATS-BENCH stats.open 2025 daily by method,region,ageBand,sex: %.2f ms (evaluate %.2f + render %.2f); %d rows (%d suppressed), %d bytes",
                ms(both), ms(evaluate), ms(render), result.rowCount, suppressed, answer.count))
        for (label, q) in [
            (
                "stats.open 2025 daily by method,region",
                StatsQuery(method: .open, from: year.0, to: year.1, by: [.method, .region])
            ),
            ("stats.open 2025 daily, no by", StatsQuery(method: .open, from: year.0, to: year.1)),
            (
                "stats.open 2025 monthly by method,region,ageBand,sex",
                StatsQuery(
                    method: .open, from: year.0, to: year.1, granularity: .month,
                    by: [.method, .region, .ageBand, .sex])
            ),
        ] {
            var rows = 0
            let t = best {
                let r = q.evaluate(over: [aggregate], customer: nil)
                rows = r.rowCount
                answer = r.openAnswer(threshold: .default)
            }
            print(String(format: "STATS-BENCH %@: %.2f ms, %d rows, %d bytes", label, ms(t), rows, answer.count))
        }
        let big = stream.callers[20].customer
        for (label, q) in [
            (
                "stats.get one region 2025 monthly by user,method",
                StatsQuery(method: .get, from: year.0, to: year.1, granularity: .month, by: [.user, .method])
            ),
            (
                "stats.get one region December hourly by user,outcome,ageBand,sex",
                StatsQuery(
                    method: .get, from: day("2025-12-01"), to: year.1, granularity: .hour,
                    by: [.user, .outcome, .ageBand, .sex])
            ),
        ] {
            var rows = 0
            let t = best {
                let r = q.evaluate(over: [aggregate], customer: big)
                rows = r.rowCount
                answer = r.getAnswer()
            }
            print(String(format: "STATS-BENCH %@: %.2f ms, %d rows", label, ms(t), rows))
        }

        var encoded: [UInt8] = []
        let encodeAll = best(3) { encoded = aggregate.encoded() }
        let decodeAll = best(3) { _ = try? StatsCounters(decoding: encoded) }
        print(
            String(
                format: "STATS-BENCH durable form: %d bytes (%.2f bytes/event), encode %.0f ms, decode %.0f ms",
                encoded.count, Double(encoded.count) / Double(total), ms(encodeAll), ms(decodeAll)))
        precondition(
            (try? StatsCounters(decoding: encoded))?.lookupTotal == UInt64(total), "the durable form lost events")
    }
}

private func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }
