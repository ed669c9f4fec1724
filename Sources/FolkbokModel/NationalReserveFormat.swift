/// The layout of a national reserve identity (NRID), `XXYYMMDDNNGC`, shared by the parser,
/// the facts, the key packing and the issuer.
///
/// Guarantees: `parse` answers only canonical (uppercase) NRIDs that pass the NRID Luhn
/// variant, use only the 21 allowed letters, and either encode a real birth date not after
/// `today` or (`XX` = `00`) carry `MM` 20–99 and `DD` 40–59.
///
/// Birth year: docs/PROTOCOL.md says `XXYY` is the birth year plus 300·k for some k ≥ 1, which
/// leaves the year open to multiples of 300. We read it as the largest year that is
/// congruent to `XXYY` modulo 300, at most `XXYY` − 300 and at most `latestBirthYear`
/// (2099). So every `XXYY` of 2100 or more names a year in 1800–2099 whatever k was used
/// (`2279` and `2579` are both 1979), and `XXYY` below 2100 names `XXYY` − 300 (k = 1).
/// This needs no clock, so `impliedBirthDate` can answer without `today`.
enum NationalReserveFormat {
    /// The letters allowed in `NN` and as an unknown-gender `G`, in ASCII order.
    static let letters: [UInt8] = Array("ABCDEFGHJKLMNPRSTUXYZ".utf8)
    static let latestBirthYear = 2099
    /// The earliest birth year from which every k in 1…`maximumK` decodes back.
    static let earliestIssuableBirthYear = 1800
    /// The largest k such that `latestBirthYear` + 300·k still fits in four digits.
    static let maximumK = (9999 - 2099) / 300

    static func isAllowedLetter(_ byte: UInt8) -> Bool { letters.contains(byte) }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    /// The birth year `XXYY` names (see the type), or `nil` below year 1.
    static func birthYear(xxyy: Int) -> Int? {
        let bound = min(latestBirthYear, xxyy - 300)
        guard bound >= 1 else { return nil }
        let year = bound - ((bound - xxyy) % 300 + 300) % 300
        return year >= 1 ? year : nil
    }

    /// The form by which a text is taken for an NRID rather than a personal number:
    /// twelve characters with a letter (either case) at the first `N`.
    static func looksLike(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 12 else { return false }
        let upper = bytes[8] & 0xDF
        return upper >= UInt8(ascii: "A") && upper <= UInt8(ascii: "Z")
    }

    /// Two-digit number at `i` in an all-digit region.
    static func number(_ bytes: [UInt8], _ i: Int) -> Int { (Int(bytes[i]) - 48) * 10 + Int(bytes[i + 1]) - 48 }

    /// Parses an NRID; lowercase letters are accepted and canonicalised to uppercase.
    static func parse(_ raw: [UInt8], today: CivilDate) throws(IdentityError) -> Identity {
        let bytes = raw.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
        guard bytes.count == 12, bytes[0..<8].allSatisfy(isDigit), isDigit(bytes[11]) else {
            throw .unrecognisedFormat
        }
        guard isAllowedLetter(bytes[8]), isAllowedLetter(bytes[9]), isDigit(bytes[10]) || isAllowedLetter(bytes[10])
        else {
            throw .reserveLetter
        }
        let value = String(decoding: bytes, as: UTF8.self)
        guard Luhn.isValidNationalReserve(value) else { throw .checkDigit }
        let month = number(bytes, 4)
        let day = number(bytes, 6)
        if number(bytes, 0) == 0 {
            guard (20...99).contains(month), (40...59).contains(day) else { throw .reserveSerial }
        } else {
            guard let year = birthYear(xxyy: number(bytes, 0) * 100 + number(bytes, 2)) else {
                throw .birthYearOutOfRange
            }
            guard let date = CivilDate(year: year, month: month, day: day) else { throw .notARealDate }
            guard date <= today else { throw .futureBirthDate }
        }
        return Identity(kind: .reserve, value: value, issuer: Identity.nationalIssuer)
    }
}
