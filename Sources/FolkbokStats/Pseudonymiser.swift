import FolkbokCrypto
import FolkbokModel

/// Derives the `person` of a pseudonymised export: 16 lowercase hex digits, the first 8 bytes of
/// HMAC-SHA256 under a key drawn at random for this export and never stored.
///
/// Guarantees: the same identity gives the same pseudonym within one `Pseudonymiser`; two
/// `Pseudonymiser`s (two exports) give unrelated pseudonyms, and without the key a pseudonym
/// cannot be linked back to an identity by trying personnummer.
public struct Pseudonymiser: Sendable {
    private let hmac: HMACSHA256

    /// A pseudonymiser with a fresh random 32-byte key (`SystemRandomNumberGenerator`).
    public init() {
        var random = SystemRandomNumberGenerator()
        var key: [UInt8] = []
        key.reserveCapacity(32)
        for _ in 0..<4 {
            withUnsafeBytes(of: random.next() as UInt64) { key.append(contentsOf: $0) }
        }
        hmac = HMACSHA256(key: key)
    }

    /// A pseudonymiser with a given key (tests only: a real export's key must be random).
    init(key: [UInt8]) { hmac = HMACSHA256(key: key) }

    /// The pseudonym of an identity value (its canonical spelling).
    public func pseudonym(of identityValue: String) -> String {
        let tag = hmac.authenticate(Array(identityValue.utf8))
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for b in tag.prefix(8) {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The pseudonym of an identity. Values of personnummer, samordningsnummer and NRIDs are
    /// unique by form, so the value alone is used; a local reserve value is unique only within
    /// its issuing region, so its issuer is included (after a NUL, which no value contains).
    public func pseudonym(of identity: Identity) -> String {
        if identity.kind == .reserve, !identity.isNationalReserve, let issuer = identity.issuer {
            return pseudonym(of: identity.value + "\u{0}" + issuer)
        }
        return pseudonym(of: identity.value)
    }
}
