/// One lookup cell: a count in an hour for a `CellCode` cell.
struct LookupCell: Hashable, Sendable {
    var hour: UInt32
    var cell: UInt64
    var count: UInt64
}

/// One session cell of a `CountBatch`.
struct SessionCell: Hashable, Sendable {
    var key: SessionKey
    var totals: SessionTotals
}

/// Counts with their own dimension table: the self-contained form that deltas and encodings
/// carry between owners whose tables number things differently. A cell may appear more than
/// once; its counts add up.
///
/// Guarantees (when built here or decoded): every string, caller and context id refers into
/// `table`; no count is 0.
struct CountBatch: Sendable {
    var table = DimensionTable()
    var lookups: [LookupCell] = []
    var sessions: [SessionCell] = []
}
