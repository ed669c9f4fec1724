/// Preparing a store for writes so that the writes themselves stay short: what the shard's
/// read view needs to hold its lock only for the mutations, never across a copy or a resize.
extension PersonStore {
    /// Whether writing `inserts` new records would grow the rows or the key index.
    public func wouldGrow(inserting inserts: Int) -> Bool {
        rows.count + inserts > rows.capacity || index.wouldResize(inserting: inserts)
    }

    /// Copies every large buffer that is shared with another copy of the store (a snapshot's)
    /// and makes room for `inserts` more records (rows grow geometrically), so that applying
    /// up to `inserts` inserts afterwards copies and reallocates none of the rows, the key
    /// index or the string pools. Smaller parts (side tables, search postings) may still copy
    /// or grow on write; they are a fraction of the store.
    /// - Complexity: O(size of the store) when something was shared or full, else O(1).
    public mutating func prepare(inserting inserts: Int) {
        let needed = rows.count + inserts
        rows.reserveCapacity(needed > rows.capacity ? max(needed, rows.capacity * 2) : rows.capacity)
        index.prepare(inserting: inserts)
        strings.makeUnique()
        codes.makeUnique()
    }
}
