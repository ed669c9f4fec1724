import FolkbokModel

/// A post with the mapping rules applied (docs/PROTOCOL.md "Navet notification files",
/// "Mapping").
///
/// Guarantees: `record` holds the identity (with `birthDate` and `sex` from the number) and every
/// part listed in `parts`, mapped by the rules; a part not in `parts` is at `PersonRecord`'s
/// default and must not replace what is stored when `isWhole` is false. `record.region` is nil
/// (the import's region is the caller's) and `record.test` false.
public struct NavetMappedPost: Sendable, Hashable {
    /// `totalpost` `J` or absent: the whole record; `N`: only `parts` change.
    public var isWhole: Bool
    public var parts: NavetParts
    public var record: PersonRecord
    /// The deregistration date as Navet gave it: `record.status.date` holds only complete dates,
    /// so an incomplete one (`YYYY-MM`, `YYYY`) is nil there and kept here for the record model
    /// to take when it can.
    public var statusDate: NavetDate?
    public var profile4: NavetProfile4

    public init(isWhole: Bool, parts: NavetParts, record: PersonRecord, statusDate: NavetDate?, profile4: NavetProfile4)
    {
        self.isWhole = isWhole
        self.parts = parts
        self.record = record
        self.statusDate = statusDate
        self.profile4 = profile4
    }
}

/// The parts of a post that replace stored parts whole (the children of `Personpost`, all
/// `Medborgarskap` together, and the protection markings).
public struct NavetParts: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let protection = NavetParts(rawValue: 1 << 0)
    public static let name = NavetParts(rawValue: 1 << 1)
    public static let registration = NavetParts(rawValue: 1 << 2)
    public static let addresses = NavetParts(rawValue: 1 << 3)
    public static let deregistration = NavetParts(rawValue: 1 << 4)
    public static let referredTo = NavetParts(rawValue: 1 << 5)
    public static let civilStatus = NavetParts(rawValue: 1 << 6)
    public static let birth = NavetParts(rawValue: 1 << 7)
    public static let immigration = NavetParts(rawValue: 1 << 8)
    public static let relations = NavetParts(rawValue: 1 << 9)
    public static let citizenships = NavetParts(rawValue: 1 << 10)

    public static let all: NavetParts = [
        .protection, .name, .registration, .addresses, .deregistration, .referredTo, .civilStatus, .birth, .immigration,
        .relations, .citizenships,
    ]
}

/// Why one post was rejected (the import lists it as `{"post": n, "reason": ...}` and goes on).
///
/// Guarantees: `reason` is fixed English wording naming the rule and the element, never a value
/// from the file.
public struct NavetRejection: Error, Sendable, Hashable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }

    static let missingIdentity = NavetRejection(
        "missing identity: PersonId has no PersonNr or TilldelatPersonNrSamordningsNr")
    static let missingSurname = NavetRejection("missing surname: a whole record needs Namn/Efternamn")
    static let missingDeregistrationCode = NavetRejection("missing code: Avregistrering has no AvregistreringsorsakKod")
    static let unknownTotalpost = NavetRejection("invalid code: Arendeuppgift/@totalpost is neither J nor N")

    static func invalidIdentity(_ element: String, _ error: IdentityError) -> NavetRejection {
        NavetRejection("invalid identity: \(element): \(error.message)")
    }
    static func wrongIdentityKind(_ element: String) -> NavetRejection {
        NavetRejection("invalid identity: \(element) holds another kind of number")
    }
    static func impossibleDate(_ element: String) -> NavetRejection {
        NavetRejection("impossible date: \(element) is not a date YYYYMMDD")
    }
    static func invalidCode(_ element: String) -> NavetRejection {
        NavetRejection("invalid code: \(element) is not one Navet defines")
    }
    static func missingCode(_ element: String) -> NavetRejection {
        NavetRejection("missing code: \(element) is required")
    }
}
