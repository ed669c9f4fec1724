/// The three kinds of identity folkbok knows, as written on the wire.
public enum IdentityKind: String, Sendable, Hashable {
    case personnummer
    case samordningsnummer
    case reserve
}

extension IdentityKind {
    /// The kind's frozen byte code on disk (record codec, snapshot images, access log):
    /// 1 personnummer, 2 samordningsnummer, 3 reserve. Never reused or renumbered.
    public var diskCode: UInt8 {
        switch self {
        case .personnummer: 1
        case .samordningsnummer: 2
        case .reserve: 3
        }
    }

    public init?(diskCode: UInt8) {
        switch diskCode {
        case 1: self = .personnummer
        case 2: self = .samordningsnummer
        case 3: self = .reserve
        default: return nil
        }
    }
}

/// A validated identity in its canonical form.
///
/// Guarantees: `value` is the canonical spelling (12 digits for personnummer and
/// samordningsnummer, the 12-character NRID, or the local reserve value as registered);
/// `issuer` is `nil` for personnummer and samordningsnummer, `"national"` for an NRID and
/// the issuing region's code for a local reserve identity.
public struct Identity: Hashable, Sendable {
    public let kind: IdentityKind
    public let value: String
    public let issuer: String?

    public init(kind: IdentityKind, value: String, issuer: String? = nil) {
        self.kind = kind
        self.value = value
        self.issuer = issuer
    }

    /// True for a national reserve identity (NRID).
    public var isNationalReserve: Bool { kind == .reserve && issuer == Identity.nationalIssuer }

    public static let nationalIssuer = "national"
}

/// Sex as the register knows it: from the personnummer's second-to-last digit, or given.
public enum Sex: String, Sendable, Hashable {
    case female = "F"
    case male = "M"
}
