/// The criteria the search index lists rows under, one posting list set each.
enum SearchField: Int, CaseIterable, Sendable {
    case surname, given, birthDate, place, street

    /// `allCases` without an allocation per use (the maintenance hooks run on every upsert).
    static let all: [SearchField] = allCases

    /// The term of `row` for this field; 0 means the row has none and is not listed.
    @inline(__always)
    func term(of row: PersonRow, strings: StringPool) -> UInt32 {
        switch self {
        case .surname: row.surname
        case .given: row.given
        case .birthDate: row.birthDate
        case .place: PlaceTerm.of(row, strings: strings)
        case .street: row.street
        }
    }
}

/// The secondary indexes of one `PersonStore` for `search`: per field, row ordinals by term
/// (string id, packed date or place), and for the name fields the distinct strings ordered by
/// their Swedish fold (surname, street) or by the given names they contain.
///
/// Maintenance is lazy: a change appends the row's new terms at its ordinal and only counts the
/// entries it made stale (a row that moves on swap-remove is listed again at its new ordinal);
/// a field's lists are rebuilt from the rows once its stale entries outgrow half of them.
///
/// Guarantees, once built (`isBuilt`), given the store calls `didUpsert` / `didRemove` after
/// every change and `rebuild` after loading rows: every row is listed at its current ordinal under each of its current
/// nonzero terms, and every string id a row holds in a name field is in that field's folded
/// terms. Entries may be stale or repeated, so a search must check each row it gets.
/// - Complexity: O(1) amortized per change besides folding strings not seen before.
struct SearchIndex: Sendable {
    private var postings: [Postings]
    private(set) var surnames = FoldedTerms()
    private(set) var streets = FoldedTerms()
    private(set) var givenWords = GivenNameWords()
    /// True from a `rebuild` until the next change: the lists are exact (no stale or repeated
    /// entries) and the folded terms hold only strings rows use, so another rebuild would
    /// give the same index.
    private(set) var isExact = false
    /// False while the index is deferred (`deferred()`): it holds nothing, changes are not
    /// recorded, and the next `rebuild` builds it from the rows.
    private(set) var isBuilt = true

    init(tuning: Postings.Tuning = Postings.Tuning()) {
        postings = Array(repeating: Postings(tuning: tuning), count: SearchField.allCases.count)
    }

    /// An index not built yet: a store loaded from a snapshot's image starts with one, so that
    /// serving can begin before the index is built (`PersonStore.search` answers without it).
    static func deferred() -> SearchIndex {
        var index = SearchIndex()
        index.isBuilt = false
        return index
    }

    func postings(_ field: SearchField) -> Postings { postings[field.rawValue] }

    var footprintBytes: Int {
        postings.reduce(0) { $0 + $1.footprintBytes } + surnames.footprintBytes + streets.footprintBytes
            + givenWords.footprintBytes
    }

    /// `rows[at]` was inserted (`old` nil) or replaced `old`.
    mutating func didUpsert(at: UInt32, old: PersonRow?, rows: [PersonRow], strings: StringPool) {
        guard isBuilt else { return }
        isExact = false
        let row = rows[Int(at)]
        surnames.add(row.surname, strings: strings)
        streets.add(row.street, strings: strings)
        givenWords.add(row.given, strings: strings)
        for field in SearchField.all {
            let new = field.term(of: row, strings: strings)
            let previous = old.map { field.term(of: $0, strings: strings) } ?? 0
            guard new != previous else { continue }
            if new != 0 { postings[field.rawValue].add(new, row: at) }
            if previous != 0 {
                postings[field.rawValue].addStale()
                rebuildIfNeeded(field, rows: rows, strings: strings)
            }
        }
    }

    /// `victim` was removed from ordinal `at`; if `moved`, the last row now sits at `at`.
    mutating func didRemove(_ victim: PersonRow, at: UInt32, moved: Bool, rows: [PersonRow], strings: StringPool) {
        guard isBuilt else { return }
        isExact = false
        for field in SearchField.all {
            if field.term(of: victim, strings: strings) != 0 { postings[field.rawValue].addStale() }
            if moved {
                let term = field.term(of: rows[Int(at)], strings: strings)
                if term != 0 {
                    postings[field.rawValue].add(term, row: at)
                    postings[field.rawValue].addStale()
                }
            }
            rebuildIfNeeded(field, rows: rows, strings: strings)
        }
    }

    /// Rebuilds everything from `rows` (after a load, or to compact): exact lists, and folded
    /// terms holding only the strings rows use now.
    mutating func rebuild(rows: [PersonRow], strings: StringPool) {
        for field in SearchField.all { rebuild(field, rows: rows, strings: strings) }
        // After a rebuild each field has only its base, whose terms are exactly the ids rows use.
        surnames.rebuild(ids: postings(.surname).base.terms, strings: strings)
        streets.rebuild(ids: postings(.street).base.terms, strings: strings)
        givenWords.rebuild(ids: postings(.given).base.terms, strings: strings)
        isExact = true
        isBuilt = true
    }

    private mutating func rebuildIfNeeded(_ field: SearchField, rows: [PersonRow], strings: StringPool) {
        if postings[field.rawValue].needsRebuild { rebuild(field, rows: rows, strings: strings) }
    }

    private mutating func rebuild(_ field: SearchField, rows: [PersonRow], strings: StringPool) {
        rows.withUnsafeBufferPointer { rows in
            guard field == .place else {
                postings[field.rawValue].rebuild(count: rows.count) { field.term(of: rows[$0], strings: strings) }
                return
            }
            // Postal codes are few and shared: parse each pooled string once, not once per row.
            var postal = [UInt32](repeating: .max, count: strings.count + 2)
            postings[field.rawValue].rebuild(count: rows.count) { i in
                let row = rows[i]
                if postal[Int(row.postalCode)] == .max {
                    postal[Int(row.postalCode)] =
                        row.postalCode == 0 ? 0 : strings.withBytes(row.postalCode) { PlaceTerm.postal($0) }
                }
                return PlaceTerm.term(municipality: row.municipality, postal: postal[Int(row.postalCode)])
            }
        }
    }
}
