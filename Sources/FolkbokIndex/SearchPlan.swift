import FolkbokModel

/// One way to find candidates: the rows listed under some terms of one field.
struct CandidateSource {
    let field: SearchField
    let terms: TermSelection
}

/// Search criteria resolved against one store: the row check, and one candidate source per
/// criterion (surname, given name, birth date, place, street).
///
/// Guarantees: every row matching the criteria is listed under some term of every source (so
/// any one source finds them all), and `filter` accepts exactly the matching rows. `init`
/// returns nil only when no row can match (a name no string folds to, an unknown kommunkod).
struct SearchPlan {
    var filter = RowFilter()
    var sources: [CandidateSource] = []

    init?(_ criteria: SearchCriteria, store: PersonStore) {
        let index = store.search
        if let pattern = criteria.surname {
            guard let set = Self.set(index.surnames.ids(matching: pattern)) else { return nil }
            filter.surnames = set
            sources.append(CandidateSource(field: .surname, terms: .ids(set)))
        }
        if let pattern = criteria.given {
            guard let set = Self.set(index.givenWords.ids(matching: pattern)) else { return nil }
            filter.givenNames = set
            sources.append(CandidateSource(field: .given, terms: .ids(set)))
        }
        if let birth = criteria.birthDate {
            guard let days = Self.days(birth) else { return nil }
            filter.birthDates = days
            sources.append(CandidateSource(field: .birthDate, terms: .range(days)))
        }
        if let pattern = criteria.street {
            guard let set = Self.set(index.streets.ids(matching: pattern)) else { return nil }
            filter.streets = set
            sources.append(CandidateSource(field: .street, terms: .ids(set)))
        }
        if let code = criteria.municipality {
            guard let id = store.codes.id(of: code), id <= UInt16.max else { return nil }
            filter.municipality = UInt16(id)
        }
        if let code = criteria.postalCode { filter.postalCode = SearchCriteria.normalizedPostalCode(code) }
        filter.unprotectedOnly = criteria.hasAddressCriterion
        if let places = Self.placeTerms(filter) {
            sources.append(CandidateSource(field: .place, terms: places))
        }
    }

    /// The source with the fewest entries (counting stops once a source exceeds the best so far).
    func cheapestSource(in index: SearchIndex) -> CandidateSource? {
        guard sources.count > 1 else { return sources.first }
        var best: (source: CandidateSource, count: Int)?
        for source in sources {
            let count = index.postings(source.field).count(source.terms, upTo: best?.count ?? .max)
            if best == nil || count < best!.count { best = (source, count) }
        }
        return best?.source
    }

    private static func set(_ ids: [UInt32]) -> IDSet? { ids.isEmpty ? nil : IDSet(ids) }

    /// Packed dates of the criterion (`CivilDate.packed` is YYYYMMDD, so a year is one range);
    /// nil for a year no `CivilDate` has.
    private static func days(_ birth: BirthDateCriterion) -> ClosedRange<UInt32>? {
        switch birth {
        case .day(let date):
            return date.packed...date.packed
        case .year(let year):
            guard (1...9999).contains(year) else { return nil }
            return UInt32(year * 10_000 + 101)...UInt32(year * 10_000 + 1231)
        }
    }

    /// Place terms for the municipality and/or postal code criteria; nil if neither is given.
    private static func placeTerms(_ filter: RowFilter) -> TermSelection? {
        let postal = filter.postalCode.map { PlaceTerm.postal($0) }
        switch (filter.municipality, postal) {
        case (let m?, let p?):
            let term = PlaceTerm.term(municipality: m, postal: p)
            return .range(term...term)
        case (let m?, nil):
            return .range(1...UInt32.max, mask: PlaceTerm.municipalityMask, value: PlaceTerm.municipalityPart(m))
        case (nil, let p?): return .range(PlaceTerm.terms(ofPostal: p))
        case (nil, nil): return nil
        }
    }
}
