/// The term under which the place index lists a row: its postal code and municipality in one
/// 32-bit value, so one entry per person serves both criteria.
///
/// Layout: postal part << 15 | municipality part, so one postal code is one contiguous range of
/// terms (postal codes are the selective criterion; a municipality is found by a mask over all
/// place terms, and its many rows cost more than that scan anyway). The postal part is 0 for no
/// postal code, 1 + the value for exactly five digits (spaces ignored) and `otherPostal` for
/// anything else; the municipality part is 0 for none, else 1 + (code id − 1) mod 32,767.
/// Terms may be shared by different places (code ids above 32,767, odd postal codes); that only
/// adds candidates, which the row check then drops.
enum PlaceTerm {
    static let municipalityBits: UInt32 = 15
    static let municipalityMask: UInt32 = (1 << municipalityBits) - 1
    static let otherPostal: UInt32 = (1 << 17) - 1

    static func term(municipality: UInt16, postal: UInt32) -> UInt32 {
        postal << municipalityBits | municipalityPart(municipality)
    }

    static func municipalityPart(_ municipality: UInt16) -> UInt32 {
        municipality == 0 ? 0 : 1 + UInt32(municipality - 1) % municipalityMask
    }

    /// Every term of a postal part (any municipality).
    static func terms(ofPostal postal: UInt32) -> ClosedRange<UInt32> {
        term(municipality: 0, postal: postal)...(postal << municipalityBits | municipalityMask)
    }

    /// The postal part of a postal code's bytes (present, possibly empty).
    static func postal(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var value: UInt32 = 0, digits = 0
        for b in bytes where b != 0x20 {
            guard b >= 0x30 && b <= 0x39, digits < 5 else { return otherPostal }
            value = value * 10 + UInt32(b - 0x30)
            digits += 1
        }
        return digits == 5 ? value + 1 : otherPostal
    }

    static func of(_ row: PersonRow, strings: StringPool) -> UInt32 {
        let postal = row.postalCode == 0 ? 0 : strings.withBytes(row.postalCode) { Self.postal($0) }
        return term(municipality: row.municipality, postal: postal)
    }
}
