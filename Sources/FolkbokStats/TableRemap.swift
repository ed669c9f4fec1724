/// Translates every id of a source table into a destination table, interning what the
/// destination lacks.
///
/// - Complexity: O(size of the source table).
struct TableRemap {
    /// Indexed by source string id (0 → 0).
    private(set) var strings: [UInt32]
    /// Indexed by source caller id.
    private(set) var callers: [UInt32]

    init(from source: DimensionTable, into destination: inout DimensionTable) {
        var strings: [UInt32] = [0]
        strings.reserveCapacity(source.strings.count + 1)
        for s in source.strings { strings.append(destination.intern(s)) }
        var callers: [UInt32] = []
        callers.reserveCapacity(source.callers.count)
        for var c in source.callers {
            c.customer = strings[Int(c.customer)]
            c.region = strings[Int(c.region)]
            c.user = strings[Int(c.user)]
            callers.append(destination.intern(c))
        }
        self.strings = strings
        self.callers = callers
    }

    /// The destination's id of a source cell.
    @inline(__always)
    func cell(_ cell: UInt64) -> UInt64 {
        let context = CellCode.context(of: cell)
        let mapped = CellCode.context(
            caller: callers[Int(CellCode.caller(of: context))], slot: context % CellCode.slotsPerCaller)
        return CellCode.cell(context: mapped, variant: CellCode.variant(of: cell))
    }

    /// The destination's cells of source cells.
    func cells(_ cells: [LookupCell]) -> [LookupCell] {
        cells.map { LookupCell(hour: $0.hour, cell: cell($0.cell), count: $0.count) }
    }
}
