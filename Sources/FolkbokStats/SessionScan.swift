/// Computes the session rows of a query over several counters.
///
/// Guarantees: one row per period and user with at least one ended session, ordered by period,
/// then user (`nil` first, then ascending by code point); only days in `from...to` count.
struct SessionScan {
    let query: StatsQuery
    let sources: [StatsCounters]
    let customer: String?

    private struct Key: Hashable {
        var period: Int
        var user: String?
    }

    func run() -> [StatsResult.SessionRow] {
        let first = UInt32(clamping: max(0, query.from.daysSinceEpoch))
        let last = UInt32(clamping: max(0, query.to.daysSinceEpoch))
        var totals: [Key: SessionTotals] = [:]
        for source in sources {
            let table = source.table
            let wanted = customer.map { table.stringID($0) }
            if case .some(nil) = wanted { continue }
            func add(hour: UInt32, customer: UInt32, user: UInt32, _ t: SessionTotals) {
                let day = hour / 24
                guard first <= day && day <= last else { return }
                if let w = wanted, customer != w { return }
                let period = query.granularity.ordinal(day: Int(day), hourOfDay: Int(hour % 24))
                totals[Key(period: period, user: table.string(user)), default: SessionTotals()].add(t)
            }
            source.settled.forEachSession { hour, customer, user, t in
                add(hour: hour, customer: customer, user: user, t)
            }
            for (key, t) in source.pending.sessions { add(hour: key.hour, customer: key.customer, user: key.user, t) }
        }
        return totals.sorted { a, b in
            if a.key.period != b.key.period { return a.key.period < b.key.period }
            return GroupBook.precedes([a.key.user], [b.key.user])
        }.map { StatsResult.SessionRow(period: $0.key.period, user: $0.key.user, totals: $0.value) }
    }
}
