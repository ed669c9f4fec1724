/// The check every candidate row passes before it is a search result: all criteria, tested on
/// the packed row itself, so stale or repeated index entries can never change the answer.
///
/// Guarantees: `matches(row)` is exactly `SearchCriteria.matches` of the row's record, given
/// sets that hold exactly the string ids whose strings match the name patterns.
struct RowFilter {
    var surnames: IDSet?
    var givenNames: IDSet?
    /// Packed birth dates (`CivilDate.packed`) accepted.
    var birthDates: ClosedRange<UInt32>?
    /// Postal code bytes without spaces.
    var postalCode: [UInt8]?
    var municipality: UInt16?
    var streets: IDSet?
    /// Any address criterion: protected persons never match.
    var unprotectedOnly = false

    @inline(__always)
    func matches(_ row: PersonRow, strings: StringPool) -> Bool {
        if unprotectedOnly && row.protection != 0 { return false }
        if let municipality, row.municipality != municipality { return false }
        if let birthDates, !birthDates.contains(row.birthDate) { return false }
        if let surnames, !surnames.contains(row.surname) { return false }
        if let givenNames, !givenNames.contains(row.given) { return false }
        if let streets, !streets.contains(row.street) { return false }
        if let postalCode {
            guard row.postalCode != 0, strings.withBytes(row.postalCode, { Self.equalIgnoringSpaces($0, postalCode) })
            else {
                return false
            }
        }
        return true
    }

    private static func equalIgnoringSpaces(_ stored: UnsafeBufferPointer<UInt8>, _ wanted: [UInt8]) -> Bool {
        var j = 0
        for b in stored where b != 0x20 {
            guard j < wanted.count, wanted[j] == b else { return false }
            j += 1
        }
        return j == wanted.count
    }
}

/// A set of nonzero string ids: a short sorted list, or a bitmap once it is large.
struct IDSet {
    private let sorted: [UInt32]
    private let bits: Bitmap?

    init(_ ids: [UInt32]) {
        var unique: [UInt32] = []
        for id in ids.sorted() where unique.last != id { unique.append(id) }
        sorted = unique
        bits = unique.count > 32 ? Bitmap(unique) : nil
    }

    var ids: [UInt32] { sorted }

    @inline(__always)
    func contains(_ id: UInt32) -> Bool {
        if let bits { return bits.contains(id) }
        for s in sorted where s >= id { return s == id }
        return false
    }
}
