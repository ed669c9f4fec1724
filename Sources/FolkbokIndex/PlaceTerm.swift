/// The term under which the place index lists a row: its municipality and postal code in one
/// 32-bit value, so one entry per person serves both criteria.
///
/// Layout: municipality part << 17 | postal part. The municipality part is 0 for none, else
/// 1 + (code id − 1) mod 32,767 (15 bits, never 0 for a present code); the postal part is 0
/// for no postal code, 1 + the value for exactly five digits (spaces ignored), and `otherPostal`
/// for anything else. Terms may be shared by different places (code ids above 32,767, odd
/// postal codes); that only adds candidates, which the row check then drops.
enum PlaceTerm {
    static let postalBits: UInt32 = 17
    static let postalMask: UInt32 = (1 << postalBits) - 1
    static let otherPostal: UInt32 = postalMask

    static func term(municipality: UInt16, postal: UInt32) -> UInt32 {
        let part = municipality == 0 ? 0 : 1 + UInt32(municipality - 1) % 0x7FFF
        return part << postalBits | postal
    }

    /// Every term of a municipality (any postal part).
    static func terms(ofMunicipality m: UInt16) -> ClosedRange<UInt32> {
        term(municipality: m, postal: 0)...term(municipality: m, postal: postalMask)
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
