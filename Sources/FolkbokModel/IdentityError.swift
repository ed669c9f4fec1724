/// Why a text is not a valid identity.
///
/// Guarantees: `message` says what is wrong in fixed English wording and never contains the
/// input, any part of it, or any digit at all, so it may be sent to callers and logged
/// without disclosing person data (docs/PROTOCOL.md "Errors"). Every message is one of the
/// static constants below.
public struct IdentityError: Error, Equatable, Sendable {
    public let message: String

    init(_ message: String) { self.message = message }

    public static let unrecognisedFormat = IdentityError("unrecognised identity format")
    public static let checkDigit = IdentityError("check digit does not match")
    public static let notARealDate = IdentityError("not a real calendar date")
    public static let futureBirthDate = IdentityError("birth date is in the future")
    public static let zeroSerial = IdentityError("serial number of all zeros is not valid")
    public static let birthYearOutOfRange = IdentityError("birth year is out of range")
    public static let reserveLetter = IdentityError(
        "national reserve identity uses a letter outside A to Z without I, O, Q, V and W")
    public static let reserveSerial = IdentityError(
        "national reserve identity without birth date has its month or day serial out of range")
    public static let localReserveFormat = IdentityError(
        "local reserve identity must be one to twenty characters of letters, digits and hyphens")
    public static let localReserveIsNational = IdentityError(
        "local reserve identity must not be a personnummer, samordningsnummer or national reserve identity")
    public static let localReserveIssuer = IdentityError("local reserve identity needs a region code as issuer")
}
