/// Computes the lookup rows of a query over several counters.
///
/// Groups (distinct combinations of the `by` values) are found and ranked in row order before
/// counting, so counting is array arithmetic: days are visited in order, each day's counts
/// accumulate into a dense array indexed by (hour slot, rank), and a finished period's
/// non-zero slots, in index order, are its rows in row order. A public query (every customer,
/// open dimensions, daily or coarser) reads each day's roll-up and finds its groups from the
/// tables alone; any other query reads the customer's range of each day's cells and finds its
/// groups in a first pass over them.
///
/// Guarantees: rows come ordered by period, then group rank; every row has lookups ≥ 1; only
/// days in `from...to` are counted (so month and year rows respect the range).
/// - Complexity: O(cells read + rows), plus O(open contexts) for a public query; independent
///   of how many events were counted.
struct LookupScan {
    let query: StatsQuery
    let sources: [StatsCounters]
    let customer: String?

    var usesRollup: Bool {
        customer == nil && query.granularity != .hour && query.by.allSatisfy { StatsDimension.open.contains($0) }
    }

    func run() -> (groups: [[String?]], rows: [StatsResult.Row]) {
        let first = UInt32(clamping: max(0, query.from.daysSinceEpoch))
        let last = UInt32(clamping: max(0, query.to.daysSinceEpoch))
        // Per source: the customer's string id, nil for every customer, `.max` for a customer
        // the source never saw.
        let wanted: [UInt32?] = sources.map { s in customer.map { s.table.stringID($0) ?? .max } }
        let pending = sources.indices.map { pendingByDay(sources[$0], first, last, customer: wanted[$0]) }
        var daySet = Set<UInt32>()
        for (s, source) in sources.enumerated() where wanted[s] != .max {
            for day in source.settled.days.keys where first <= day && day <= last { daySet.insert(day) }
            daySet.formUnion(pending[s].keys)
        }
        let days = daySet.sorted()
        var book = GroupBook(by: query.by)
        var counter = PeriodCounter(query: query)
        if usesRollup {
            var ranks = sources.map { openGroups($0.table, &book) }
            let rankOfGroup = book.rank()
            for s in ranks.indices { ranks[s] = ranks[s].map { $0 < 0 ? -1 : rankOfGroup[Int($0)] } }
            counter.start(groups: book.count)
            for day in days {
                counter.begin(day: day)
                for s in sources.indices {
                    countOpen(s, day, pending[s][day] ?? [], ranks: ranks[s], &counter)
                }
                counter.end(day: day)
            }
            return (book.values, counter.finish())
        }
        var memos = sources.indices.map { ContextMemo(table: sources[$0].table, customer: wanted[$0]) }
        for day in days {
            for s in sources.indices where wanted[s] != .max {
                forEachCell(s, day, customer: wanted[s], pending[s][day] ?? []) { _, cell, _ in
                    _ = memos[s].group(of: cell, table: sources[s].table, book: &book)
                }
            }
        }
        let rankOfGroup = book.rank()
        counter.start(groups: book.count)
        for day in days {
            counter.begin(day: day)
            for s in sources.indices where wanted[s] != .max {
                forEachCell(s, day, customer: wanted[s], pending[s][day] ?? []) { hourOfDay, cell, n in
                    counter.add(hourOfDay: hourOfDay, rank: Int(rankOfGroup[Int(memos[s].knownGroup(of: cell))]), n)
                }
            }
            counter.end(day: day)
        }
        return (book.values, counter.finish())
    }

    // MARK: reading the sources

    private struct PendingCell {
        var hourOfDay: UInt32
        var cell: UInt64
        var count: UInt64
    }

    /// A source's pending cells in range (of one customer when given), by day.
    private func pendingByDay(_ source: StatsCounters, _ first: UInt32, _ last: UInt32, customer: UInt32?) -> [UInt32:
        [PendingCell]]
    {
        var out: [UInt32: [PendingCell]] = [:]
        if customer == .max { return out }
        source.pending.forEachLookup { hour, cell, n in
            let day = hour / 24
            guard first <= day && day <= last else { return }
            if let customer, source.table.customer(ofContext: CellCode.context(of: cell)) != customer { return }
            out[day, default: []].append(PendingCell(hourOfDay: hour % 24, cell: cell, count: n))
        }
        return out
    }

    /// Every cell of day `day` in source `s` (of one customer when given).
    private func forEachCell(
        _ s: Int, _ day: UInt32, customer: UInt32?, _ pending: [PendingCell],
        _ body: (_ hourOfDay: UInt32, _ cell: UInt64, _ count: UInt64) -> Void
    ) {
        if let block = sources[s].settled.days[day] {
            let range = customer.map { block.range(ofCustomer: $0) } ?? block.cells.indices
            block.cells.withUnsafeBufferPointer { cells in
                for i in range { body(cells[i].hourOfDay, cells[i].cell, cells[i].count) }
            }
            for c in block.tail where customer == nil || c.customer == customer { body(c.hourOfDay, c.cell, c.count) }
        }
        for p in pending { body(p.hourOfDay, p.cell, p.count) }
    }

    /// Counts every roll-up count of day `day` in source `s`.
    private func countOpen(
        _ s: Int, _ day: UInt32, _ pending: [PendingCell], ranks: [Int32], _ counter: inout PeriodCounter
    ) {
        let table = sources[s].table
        if let block = sources[s].settled.days[day] {
            ranks.withUnsafeBufferPointer { ranks in
                block.open.withUnsafeBufferPointer { open in
                    for o in open { counter.add(hourOfDay: 0, rank: Int(ranks[Int(o.id)]), o.count) }
                }
            }
            for c in block.tail {
                counter.add(hourOfDay: 0, rank: Int(ranks[Int(table.openID(ofCell: c.cell))]), c.count)
            }
        }
        for p in pending { counter.add(hourOfDay: 0, rank: Int(ranks[Int(table.openID(ofCell: p.cell))]), p.count) }
    }

    // MARK: groups

    /// The group of every possible roll-up id of a table (-1 for impossible variants).
    private func openGroups(_ table: DimensionTable, _ book: inout GroupBook) -> [Int32] {
        var out = [Int32](repeating: -1, count: table.openIDCount)
        var memo = GroupBook.StringMemo(table)
        for (i, o) in table.openContexts.enumerated() {
            for v in LookupVariant.possibleIndexes {
                let variant = LookupVariant(index: v)
                out[i * LookupVariant.count + v] = book.group(
                    method: o.method, category: o.category, region: o.region, user: 0, purpose: nil, contract: nil,
                    profile: nil,
                    outcome: variant.outcome, ageBand: variant.ageBand, sex: variant.sex, table: table, memo: &memo)
            }
        }
        return out
    }

    /// The groups of one source's cells, found as they are met: 72 group ids per context seen,
    /// reached through arrays (caller → its index among the wanted customer's callers →
    /// context slot), so no cell needs hashing.
    private struct ContextMemo {
        private var localOfCaller: [Int32]
        private var baseOfContext: [Int32]
        private var groups: [Int32] = []
        private var strings: GroupBook.StringMemo

        /// Memo for the cells of `customer` (a string id), or of every customer for nil.
        init(table: DimensionTable, customer: UInt32?) {
            strings = GroupBook.StringMemo(table)
            localOfCaller = [Int32](repeating: -1, count: table.callers.count)
            var n: Int32 = 0
            for (i, c) in table.callers.enumerated() where customer == nil || c.customer == customer {
                localOfCaller[i] = n
                n += 1
            }
            baseOfContext = [Int32](repeating: -1, count: Int(n) * Int(CellCode.slotsPerCaller))
        }

        @inline(__always)
        private mutating func offset(of context: UInt32) -> Int {
            let local = Int(localOfCaller[Int(CellCode.caller(of: context))])
            let index = local * Int(CellCode.slotsPerCaller) + Int(context % CellCode.slotsPerCaller)
            let known = baseOfContext[index]
            if known >= 0 { return Int(known) }
            let b = groups.count
            baseOfContext[index] = Int32(b)
            groups.append(contentsOf: repeatElement(-1, count: LookupVariant.count))
            return b
        }

        mutating func group(of cell: UInt64, table: DimensionTable, book: inout GroupBook) -> Int32 {
            let context = CellCode.context(of: cell)
            let slot = offset(of: context) + CellCode.variant(of: cell)
            if groups[slot] >= 0 { return groups[slot] }
            let c = table.callers[Int(CellCode.caller(of: context))]
            let v = LookupVariant(index: CellCode.variant(of: cell))
            let g = book.group(
                method: CellCode.method(of: context), category: c.category, region: c.region, user: c.user,
                purpose: c.purpose, contract: c.contract, profile: CellCode.profile(of: context),
                outcome: v.outcome, ageBand: v.ageBand, sex: v.sex, table: table, memo: &strings)
            groups[slot] = g
            return g
        }

        /// The group of a cell met in the first pass.
        mutating func knownGroup(of cell: UInt64) -> Int32 {
            groups[offset(of: CellCode.context(of: cell)) + CellCode.variant(of: cell)]
        }
    }
}

/// Sums counts per (period, rank) while days are visited in ascending order, and emits each
/// period's rows when it ends.
///
/// Guarantees: rows come out ordered by period, then rank; none with a zero count.
private struct PeriodCounter {
    let query: StatsQuery
    let hourly: Bool
    private var groups = 0
    private var acc: [UInt64] = []
    private var touched: [Int32] = []
    private var rows: [StatsResult.Row] = []
    private var current: (period: Int, day: Int)?

    init(query: StatsQuery) {
        self.query = query
        hourly = query.granularity == .hour
    }

    mutating func start(groups: Int) {
        self.groups = groups
        acc = [UInt64](repeating: 0, count: (hourly ? 24 : 1) * groups)
    }

    /// Starts a day; emits the previous period's rows when this day begins another.
    mutating func begin(day: UInt32) {
        let period = query.granularity.ordinal(day: Int(day), hourOfDay: 0)
        if !hourly, let c = current, c.period != period { flush(day: c.day, period: c.period) }
        current = (period, Int(day))
    }

    @inline(__always)
    mutating func add(hourOfDay: UInt32, rank: Int, _ n: UInt64) {
        guard rank >= 0 else { return }
        let slot = hourly ? Int(hourOfDay) * groups + rank : rank
        if acc[slot] == 0 { touched.append(Int32(slot)) }
        acc[slot] &+= n
    }

    mutating func end(day: UInt32) {
        if hourly { flush(day: Int(day), period: 0) }
    }

    mutating func finish() -> [StatsResult.Row] {
        if !hourly, let c = current { flush(day: c.day, period: c.period) }
        current = nil
        return rows
    }

    /// A period's rows are its touched slots in ascending order: sorted when few, found by
    /// walking the whole array when many (a public query touches most of its groups daily).
    private mutating func flush(day: Int, period: Int) {
        if touched.count * 8 < acc.count {
            touched.sort()
            for slot in touched { emit(Int(slot), day: day, period: period) }
        } else {
            for s in acc.indices where acc[s] != 0 { emit(s, day: day, period: period) }
        }
        touched.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func emit(_ slot: Int, day: Int, period: Int) {
        rows.append(
            StatsResult.Row(
                period: hourly ? day * 24 + slot / groups : period, rank: Int32(slot % groups), lookups: acc[slot]))
        acc[slot] = 0
    }
}
