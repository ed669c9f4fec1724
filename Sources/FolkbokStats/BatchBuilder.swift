/// Builds a `CountBatch` from cells of a source table, copying into the batch's table only the
/// strings and callers the cells use.
struct BatchBuilder {
    private let source: DimensionTable
    private var batch = CountBatch()
    /// Source string id − 1 → batch string id, and source caller id → batch caller id.
    private(set) var maps: DeltaMaps

    /// `maps` are scratch maps to reuse (their contents do not matter); take them back from
    /// `maps` afterwards.
    init(source: DimensionTable, capacity: Int, maps: consuming DeltaMaps) {
        self.source = source
        self.maps = maps
        self.maps.strings.reset(count: source.strings.count)
        self.maps.callers.reset(count: source.callers.count)
        batch.lookups.reserveCapacity(capacity)
    }

    @inline(__always)
    mutating func addLookup(hour: UInt32, cell: UInt64, count: UInt64) {
        guard count > 0 else { return }
        let context = CellCode.context(of: cell)
        let caller = mapCaller(CellCode.caller(of: context))
        let mapped = CellCode.context(caller: caller, slot: context % CellCode.slotsPerCaller)
        batch.lookups.append(
            LookupCell(
                hour: hour, cell: CellCode.cell(context: mapped, variant: CellCode.variant(of: cell)), count: count))
    }

    mutating func addSession(_ key: SessionKey, _ totals: SessionTotals) {
        guard totals.count > 0 else { return }
        let mapped = SessionKey(hour: key.hour, customer: mapString(key.customer), user: mapString(key.user))
        batch.sessions.append(SessionCell(key: mapped, totals: totals))
    }

    func build() -> CountBatch { batch }

    private mutating func mapString(_ id: UInt32) -> UInt32 {
        guard id != 0 else { return 0 }
        if let known = maps.strings.value(id - 1) { return known }
        let mapped = batch.table.intern(source.string(id))
        maps.strings.set(id - 1, mapped)
        return mapped
    }

    @inline(__always)
    private mutating func mapCaller(_ id: UInt32) -> UInt32 {
        if let known = maps.callers.value(id) { return known }
        var c = source.callers[Int(id)]
        c.customer = mapString(c.customer)
        c.region = mapString(c.region)
        c.user = mapString(c.user)
        let mapped = batch.table.intern(c)
        maps.callers.set(id, mapped)
        return mapped
    }
}
