/// An identity packed into 64 bits, for compact indexing.
///
/// Guarantees: `IdentityKey(identity)?.identity == identity` for every personnummer,
/// samordningsnummer and NRID in canonical form (and `init?` is `nil` for anything it could
/// not give back exactly); distinct identities get distinct keys; ordering by `raw` puts
/// personal numbers first, in numeric (= canonical string) order, then NRIDs in string
/// order, then local reserve serials in numeric order.
///
/// Layout (frozen: keys may be stored): the top two bits are a tag.
/// - 0, personal number: the 12 digits as an integer (< 10¹², 40 bits). The kind is not
///   stored; it follows from the day field (≥ 60 is a samordningsnummer).
/// - 1, NRID: `XXYYMMDD` as an integer in bits 20–46, then the two `N` letters (0–25 for
///   A–Z, 5 bits each), `G` (0–9 for a digit, 10–35 for A–Z, 6 bits), `C` (4 bits). Field
///   order follows the string, and digits sort before letters as in ASCII.
/// - 2, local reserve: a serial the index hands out (the value and region live elsewhere).
public struct IdentityKey: Hashable, Sendable, Comparable {
    public let raw: UInt64

    public init(raw: UInt64) { self.raw = raw }

    private static let personalTag: UInt64 = 0
    private static let nationalReserveTag: UInt64 = 1
    private static let localReserveTag: UInt64 = 2
    private static let payloadMask: UInt64 = (1 << 62) - 1
    private static let personalLimit: UInt64 = 1_000_000_000_000

    /// Packs a personnummer, samordningsnummer or NRID; `nil` for a local reserve identity or
    /// a value not in its kind's canonical layout.
    public init?(_ identity: Identity) {
        var value = identity.value
        guard let raw = value.withUTF8({ Self.pack(identity, $0) }) else { return nil }
        self.raw = raw
    }

    /// The raw key of `identity` whose value's UTF-8 is `bytes` (read in place: a 12-byte
    /// value is a small string, so nothing is allocated).
    private static func pack(_ identity: Identity, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count == 12 else { return nil }
        switch identity.kind {
        case .personnummer, .samordningsnummer:
            guard identity.issuer == nil, bytes.allSatisfy(NationalReserveFormat.isDigit) else { return nil }
            let dayField = (Int(bytes[6]) - 48) * 10 + Int(bytes[7]) - 48
            guard (dayField >= 60) == (identity.kind == .samordningsnummer) else { return nil }
            return bytes.reduce(0) { $0 * 10 + UInt64($1 - 48) }
        case .reserve:
            guard identity.isNationalReserve, bytes[0..<8].allSatisfy(NationalReserveFormat.isDigit),
                let n1 = letterCode(bytes[8]), let n2 = letterCode(bytes[9]),
                NationalReserveFormat.isDigit(bytes[11])
            else { return nil }
            let g: UInt64
            if NationalReserveFormat.isDigit(bytes[10]) {
                g = UInt64(bytes[10] - 48)
            } else if let letter = letterCode(bytes[10]) {
                g = 10 + letter
            } else {
                return nil
            }
            let prefix = bytes[0..<8].reduce(UInt64(0)) { $0 * 10 + UInt64($1 - 48) }
            return nationalReserveTag << 62 | prefix << 20 | n1 << 15 | n2 << 10 | g << 4 | UInt64(bytes[11] - 48)
        }
    }

    /// The key of the local reserve identity with this serial.
    public static func localReserve(serial: UInt32) -> IdentityKey {
        IdentityKey(raw: localReserveTag << 62 | UInt64(serial))
    }

    public var isLocalReserve: Bool { raw >> 62 == Self.localReserveTag }

    /// The serial of a local reserve key, `nil` for other keys.
    public var localReserveSerial: UInt32? {
        guard isLocalReserve, raw & Self.payloadMask <= UInt64(UInt32.max) else { return nil }
        return UInt32(raw & Self.payloadMask)
    }

    /// The identity this key packs; `nil` for local reserve keys and for raw values no
    /// `init?(_:)` could have produced.
    public var identity: Identity? {
        let payload = raw & Self.payloadMask
        switch raw >> 62 {
        case Self.personalTag:
            guard payload < Self.personalLimit else { return nil }
            // Day of month (+60 for samordningsnummer): digits 7–8 of the 12.
            let samordning = payload / 10_000 % 100 >= 60
            return Identity(
                kind: samordning ? .samordningsnummer : .personnummer, value: String(digits: payload, width: 12))
        case Self.nationalReserveTag:
            let prefix = payload >> 20
            let n1 = payload >> 15 & 31, n2 = payload >> 10 & 31, g = payload >> 4 & 63, c = payload & 15
            guard prefix < 100_000_000, n1 < 26, n2 < 26, g < 36, c < 10 else { return nil }
            let gByte = g < 10 ? UInt8(48 + g) : UInt8(65 + g - 10)
            let letters = String(decoding: [UInt8(65 + n1), UInt8(65 + n2), gByte, UInt8(48 + c)], as: UTF8.self)
            return Identity(
                kind: .reserve, value: String(digits: prefix, width: 8) + letters, issuer: Identity.nationalIssuer)
        default:
            return nil
        }
    }

    public static func < (a: IdentityKey, b: IdentityKey) -> Bool { a.raw < b.raw }

    private static func letterCode(_ byte: UInt8) -> UInt64? {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? UInt64(byte - 65) : nil
    }
}
