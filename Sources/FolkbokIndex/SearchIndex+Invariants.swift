extension SearchIndex {
    /// Broken facts about the index against `rows`, each a sentence; empty when sound (tests
    /// call it after mutations). O(entries + rows), and O(n) folds for the sorted name lists.
    /// A deferred index has none: it promises nothing until built.
    func invariantViolations(rows: [PersonRow], strings: StringPool) -> [String] {
        guard isBuilt else { return [] }
        var problems: [String] = []
        for field in SearchField.allCases {
            var listed = Set<UInt64>()
            postings(field).forEachEntry { term, row in listed.insert(UInt64(term) << 32 | UInt64(row)) }
            for (ordinal, row) in rows.enumerated() {
                let term = field.term(of: row, strings: strings)
                if term != 0 && !listed.contains(UInt64(term) << 32 | UInt64(ordinal)) {
                    problems.append("\(field) index lacks row \(ordinal) (key \(row.key)) under term \(term)")
                }
            }
        }
        for (ordinal, row) in rows.enumerated() {
            if row.surname != 0 && !surnames.contains(row.surname) {
                problems.append("surname of row \(ordinal) not in folded terms")
            }
            if row.street != 0 && !streets.contains(row.street) {
                problems.append("street of row \(ordinal) not in folded terms")
            }
            if row.given != 0 && !givenWords.contains(row.given) {
                problems.append("given names of row \(ordinal) not split into words")
            }
        }
        if !surnames.isSorted() { problems.append("surname terms not sorted by fold") }
        if !streets.isSorted() { problems.append("street terms not sorted by fold") }
        return problems
    }
}

extension PersonStore {
    /// The search index's broken facts (see `SearchIndex.invariantViolations`).
    var searchInvariantViolations: [String] { search.invariantViolations(rows: rows, strings: strings) }
}
