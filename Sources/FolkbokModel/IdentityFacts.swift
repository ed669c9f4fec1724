/// What an identity's own characters say about its holder.
///
/// Guarantees: answers only what the value itself encodes, never guesses, and answers `nil`
/// for a value that is not in its kind's canonical form (an `Identity` can be built by hand)
/// and for local reserve identities, which are opaque.
extension Identity {
    /// The birth date the value encodes: a personnummer's date; a samordningsnummer's date
    /// with 60 taken off the day (`nil` when the month is `00` or the day `60`, i.e.
    /// unknown); an NRID's date when `XX` is not `00`, its year read as
    /// `NationalReserveFormat.birthYear(xxyy:)` explains (the largest year ≤ 2099 and
    /// ≤ `XXYY` − 300 congruent to `XXYY` modulo 300).
    public var impliedBirthDate: CivilDate? {
        let bytes = Array(value.utf8)
        guard bytes.count == 12, bytes[0..<8].allSatisfy(NationalReserveFormat.isDigit) else { return nil }
        let xx = NationalReserveFormat.number(bytes, 0)
        let yyyy = xx * 100 + NationalReserveFormat.number(bytes, 2)
        let month = NationalReserveFormat.number(bytes, 4)
        let day = NationalReserveFormat.number(bytes, 6)
        switch kind {
        case .personnummer:
            guard isPersonalNumberShaped(bytes) else { return nil }
            return CivilDate(year: yyyy, month: month, day: day)
        case .samordningsnummer:
            guard isPersonalNumberShaped(bytes), day > 60 else { return nil }
            return CivilDate(year: yyyy, month: month, day: day - 60)
        case .reserve:
            guard isNationalReserve, xx != 0, let year = NationalReserveFormat.birthYear(xxyy: yyyy) else { return nil }
            return CivilDate(year: year, month: month, day: day)
        }
    }

    /// The sex the value encodes: for personnummer and samordningsnummer the second-to-last
    /// digit (odd male, even female); for an NRID its `G` when that is a digit (a letter
    /// means unknown, `nil`).
    public var impliedSex: Sex? {
        let bytes = Array(value.utf8)
        guard bytes.count == 12 else { return nil }
        switch kind {
        case .personnummer, .samordningsnummer:
            guard isPersonalNumberShaped(bytes) else { return nil }
        case .reserve:
            guard isNationalReserve else { return nil }
        }
        let g = bytes[10]
        guard NationalReserveFormat.isDigit(g) else { return nil }
        return (g - 48) % 2 == 1 ? .male : .female
    }

    private func isPersonalNumberShaped(_ bytes: [UInt8]) -> Bool {
        bytes.count == 12 && bytes.allSatisfy(NationalReserveFormat.isDigit)
    }
}
