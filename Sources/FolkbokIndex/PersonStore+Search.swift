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
    ///   key order), plus O(log n) folds per name pattern.
    public func search(_ criteria: SearchCriteria, after: IdentityKey?, limit: Int) -> [IdentityKey] {
        guard limit > 0, let plan = SearchPlan(criteria, store: self) else { return [] }
        var keys = SmallestKeys(limit: limit)
        let floor = after?.raw, filter = plan.filter, strings = strings
        rows.withUnsafeBufferPointer { rows in
            func consider(_ ordinal: UInt32) {
                guard Int(ordinal) < rows.count else { return }
                let row = rows[Int(ordinal)]
                if let floor, row.key <= floor { return }
                guard keys.wants(row.key), filter.matches(row, strings: strings) else { return }
                keys.offer(row.key)
            }
            if let source = plan.cheapestSource(in: search) {
                search.postings(source.field).forEachRow(source.terms, consider)
            } else {
                for i in rows.indices { consider(UInt32(i)) }
            }
        }
        return keys.ascending().map(IdentityKey.init(raw:))
    }
}
