import FolkbokModel

extension PersonStore {
    /// Keys of the records matching `criteria` (see `SearchCriteria` for the rules), ascending
    /// by raw, strictly greater than `after`, at most `limit`. Paging with `after` = the last key
    /// of the previous page yields every match exactly once.
    ///
    /// Candidates come from the criterion with the fewest index entries; every candidate row is
    /// checked against all criteria, so the answer is exact whatever the index holds stale.
    /// An empty `criteria` checks every row (callers require at least one criterion).
    /// - Complexity: O(c + limit · log c) for c entries under the chosen criterion (in random
    ///   key order), each a row read; plus O(log n) comparisons per name pattern.
    ///
    /// A store whose index is deferred (loaded from an image) answers the same from a search
    /// index built for this call alone, O(rows): the shard builds its index before searching
    /// (`Shard.search`), so only direct callers of a loaded store pay that.
    public func search(_ criteria: SearchCriteria, after: IdentityKey?, limit: Int) -> [IdentityKey] {
        guard search.isBuilt else {
            var built = self
            built.search.rebuild(rows: rows, strings: strings)
            return built.search(criteria, after: after, limit: limit)
        }
        guard limit > 0, let plan = SearchPlan(criteria, store: self) else { return [] }
        var collector = CandidateCollector(filter: plan.filter, after: after?.raw, limit: limit)
        rows.withUnsafeBufferPointer { rows in
            if let source = plan.cheapestSource(in: search) {
                search.postings(source.field).forEachRow(source.terms) {
                    collector.add($0, rows: rows, strings: strings)
                }
            } else {
                for i in rows.indices { collector.add(UInt32(i), rows: rows, strings: strings) }
            }
            collector.finish(rows: rows, strings: strings)
        }
        return collector.keys.ascending().map(IdentityKey.init(raw:))
    }
}

/// Checks candidate rows in batches: the keys of a batch are read first, with independent
/// loads the processor overlaps (a candidate's row is usually a cache miss, and reading them
/// one check at a time serializes the misses), then each row is checked.
///
/// Guarantees: after `finish`, `keys` holds the `limit` smallest keys above `after` among the
/// candidate rows (ordinals past the end ignored) that pass `filter`.
struct CandidateCollector {
    static let batchSize = 64
    let filter: RowFilter
    let after: UInt64?
    private(set) var keys: SmallestKeys
    private var ordinals: [UInt32] = []
    private var batchKeys: [UInt64]

    init(filter: RowFilter, after: UInt64?, limit: Int) {
        self.filter = filter
        self.after = after
        keys = SmallestKeys(limit: limit)
        ordinals.reserveCapacity(Self.batchSize)
        batchKeys = Array(repeating: 0, count: Self.batchSize)
    }

    @inline(__always)
    mutating func add(_ ordinal: UInt32, rows: UnsafeBufferPointer<PersonRow>, strings: StringPool) {
        guard Int(ordinal) < rows.count else { return }
        ordinals.append(ordinal)
        if ordinals.count == Self.batchSize { finish(rows: rows, strings: strings) }
    }

    /// Checks the pending batch.
    mutating func finish(rows: UnsafeBufferPointer<PersonRow>, strings: StringPool) {
        let n = ordinals.count
        for i in 0..<n { batchKeys[i] = rows[Int(ordinals[i])].key }
        for i in 0..<n {
            let key = batchKeys[i]
            if let after, key <= after { continue }
            guard keys.wants(key), filter.matches(rows[Int(ordinals[i])], strings: strings) else { continue }
            keys.offer(key)
        }
        ordinals.removeAll(keepingCapacity: true)
    }
}
