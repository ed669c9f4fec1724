/// What `folkbok-bench search-index` measures of a store's search index, without opening the
/// index's internals to the benchmark.
///
/// Guarantees: reads only; `rebuildSearchIndexOnly` and `replaySearchInserts` change nothing
/// a query can see (the first rebuilds the same index, the second builds a throwaway one).
extension PersonStore {
    /// Each search field's postings: bytes held and distinct terms.
    package var searchFieldFigures: [(field: String, bytes: Int, terms: Int)] {
        SearchField.allCases.map { field in
            let p = search.postings(field)
            return ("\(field)", p.footprintBytes, p.base.terms.count)
        }
    }

    /// Bytes of the folded surname, street and given-word tables.
    package var foldedTermBytes: Int {
        search.surnames.footprintBytes + search.streets.footprintBytes + search.givenWords.footprintBytes
    }

    /// Rebuilds the search index from the rows, without trimming anything else.
    package mutating func rebuildSearchIndexOnly() {
        search.rebuild(rows: rows, strings: strings)
    }

    /// Replays every row's insert into an empty search index (the maintenance cost alone).
    package func replaySearchInserts() {
        var replay = SearchIndex()
        for i in 0..<rows.count { replay.didUpsert(at: UInt32(i), old: nil, rows: rows, strings: strings) }
    }
}
