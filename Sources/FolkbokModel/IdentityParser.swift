/// Turns the texts callers send into validated, canonical identities (docs/PROTOCOL.md
/// "Identities").
///
/// Guarantees: every `Identity` answered is canonical (see `Identity`) and valid as of
/// `today`; every failure is an `IdentityError` whose message never echoes the input.
public enum IdentityParser {
    /// Parses a personnummer, samordningsnummer or national reserve identity (NRID),
    /// recognised by its form. Surrounding white space is ignored.
    ///
    /// Twelve characters with a letter in the ninth place are taken for an NRID (letters in
    /// either case, answered in uppercase); anything else for a personal number in one of
    /// the six spellings `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`, `YYYYMMDD+NNNC`, `YYMMDDNNNC`,
    /// `YYMMDD-NNNC`, `YYMMDD+NNNC` (see `PersonalNumberParser` for the century rule).
    public static func parse(_ text: String, today: CivilDate) throws(IdentityError) -> Identity {
        // The common spelling, twelve digits (nothing to trim, no letter for an NRID), in place.
        if text.utf8.count == 12, let identity = try fastTwelveDigits(text, today: today) { return identity }
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        let bytes = Array(trimmed.utf8)
        if NationalReserveFormat.looksLike(bytes) {
            return try NationalReserveFormat.parse(bytes, today: today)
        }
        return try PersonalNumberParser.parse(bytes, today: today)
    }

    /// `parse` of the text whose UTF-8 bytes are `utf8` (an import reads them in place):
    /// twelve digits are read as they are, anything else as the text.
    public static func parse(utf8: UnsafeBufferPointer<UInt8>, today: CivilDate) throws(IdentityError) -> Identity {
        if utf8.count == 12, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return try PersonalNumberParser.parse(utf8, today: today)
        }
        return try parse(String(decoding: utf8, as: UTF8.self), today: today)
    }

    /// `YYYYMMDDNNNC` read without copying; nil when the text is not twelve ASCII digits.
    private static func fastTwelveDigits(_ text: String, today: CivilDate) throws(IdentityError) -> Identity? {
        var text = text
        let result: Result<Identity, IdentityError>? = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            return Result { () throws(IdentityError) in try PersonalNumberParser.parse(bytes, today: today) }
        }
        return try result?.get()
    }

    /// A region's local reserve identity: 1–20 characters `[0-9A-Za-z-]`, kept exactly as
    /// given (no trimming, no case folding). It must not parse (as of `today`) as a
    /// personnummer, samordningsnummer or NRID; a text that has such a form but fails its
    /// check digit or date does not parse and is therefore accepted, as the protocol's
    /// wording says. `issuer` must be non-empty and not `"national"`.
    public static func localReserve(_ value: String, issuer: String, today: CivilDate) throws(IdentityError) -> Identity
    {
        let bytes = Array(value.utf8)
        guard (1...20).contains(bytes.count), bytes.allSatisfy(isLocalReserveByte) else {
            throw .localReserveFormat
        }
        guard !issuer.isEmpty, issuer != Identity.nationalIssuer else { throw .localReserveIssuer }
        if (try? parse(value, today: today)) != nil { throw .localReserveIsNational }
        return Identity(kind: .reserve, value: value, issuer: issuer)
    }

    private static func isLocalReserveByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
