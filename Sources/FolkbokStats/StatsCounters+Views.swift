/// Where one session count lives: customer, user and the hour the sessions ended in.
public struct SessionCellKey: Hashable, Sendable {
    public var customer: String
    public var user: String?
    public var hour: StatsHour

    public init(customer: String, user: String?, hour: StatsHour) {
        self.customer = customer
        self.user = user
        self.hour = hour
    }
}

/// Flat views of every count, independent of how the counters number things: for tests,
/// diagnostics and comparing two counters.
extension StatsCounters {
    /// Every lookup count (pending and settled together), keyed by an event with the cell's
    /// dimensions and hour.
    /// - Complexity: O(cells), one dictionary entry each; not for the hot path.
    public func lookupCounts() -> [LookupEvent: UInt64] {
        var out: [LookupEvent: UInt64] = [:]
        func add(_ hour: UInt32, _ cell: UInt64, _ n: UInt64) {
            out[event(cell: cell, hour: hour), default: 0] += n
        }
        settled.forEachLookup(add)
        pending.forEachLookup(add)
        return out
    }

    /// Every session count (pending and settled together).
    public func sessionCounts() -> [SessionCellKey: SessionTotals] {
        var out: [SessionCellKey: SessionTotals] = [:]
        func add(_ hour: UInt32, _ customer: UInt32, _ user: UInt32, _ totals: SessionTotals) {
            let key = SessionCellKey(
                customer: table.string(customer) ?? "", user: table.string(user), hour: StatsHour(index: hour))
            out[key, default: SessionTotals()].add(totals)
        }
        settled.forEachSession(add)
        for (key, totals) in pending.sessions { add(key.hour, key.customer, key.user, totals) }
        return out
    }

    /// The total number of lookups counted.
    public var lookupTotal: UInt64 {
        var total: UInt64 = 0
        settled.forEachLookup { _, _, n in total &+= n }
        pending.forEachLookup { _, _, n in total &+= n }
        return total
    }

    private func event(cell: UInt64, hour: UInt32) -> LookupEvent {
        let context = CellCode.context(of: cell)
        let c = table.callers[Int(CellCode.caller(of: context))]
        let v = LookupVariant(index: CellCode.variant(of: cell))
        return LookupEvent(
            method: CellCode.method(of: context), customer: table.string(c.customer) ?? "", category: c.category,
            region: table.string(c.region), user: table.string(c.user), purpose: c.purpose, contract: c.contract,
            profile: CellCode.profile(of: context), outcome: v.outcome, ageBand: v.ageBand, sex: v.sex,
            hour: StatsHour(index: hour))
    }
}
