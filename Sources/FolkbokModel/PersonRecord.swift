/// A person's name as the register holds it.
public struct PersonName: Sendable, Hashable {
    public var given: String?
    public var callName: String?
    public var middle: String?
    public var surname: String?

    public init(given: String? = nil, callName: String? = nil, middle: String? = nil, surname: String? = nil) {
        self.given = given
        self.callName = callName
        self.middle = middle
        self.surname = surname
    }
}

/// A Swedish postal address (folkbokföringsadress or särskild postadress).
public struct PostalAddress: Sendable, Hashable {
    public var careOf: String?
    public var street: String?
    public var postalCode: String?
    public var city: String?

    public init(careOf: String? = nil, street: String? = nil, postalCode: String? = nil, city: String? = nil) {
        self.careOf = careOf
        self.street = street
        self.postalCode = postalCode
        self.city = city
    }
}

/// An address abroad (utlandsadress): free lines and a country.
public struct ForeignAddress: Sendable, Hashable {
    public var lines: [String]
    public var country: String?

    public init(lines: [String], country: String?) {
        self.lines = lines
        self.country = country
    }
}

/// Protection marking: none, sekretessmarkering or skyddad folkbokföring.
/// Raw values are frozen: they are stored on disk.
public enum Protection: UInt8, Sendable, Hashable, CaseIterable {
    case none = 0
    case sekretess = 1
    case skyddad = 2

    public var wireName: String { staticWireName.description }

    /// `wireName` as a literal (encoders copy it without building a `String`).
    public var staticWireName: StaticString {
        switch self {
        case .none: "none"
        case .sekretess: "sekretess"
        case .skyddad: "skyddad"
        }
    }

    public init?(wireName: String) {
        switch wireName {
        case "none": self = .none
        case "sekretess": self = .sekretess
        case "skyddad": self = .skyddad
        default: return nil
        }
    }
}

/// Whether a person is active, deceased or deregistered. Raw values are frozen (on disk).
public enum LifeState: UInt8, Sendable, Hashable, CaseIterable {
    case active = 0
    case deceased = 1
    case deregistered = 2

    public var wireName: String { staticWireName.description }

    /// `wireName` as a literal (encoders copy it without building a `String`).
    public var staticWireName: StaticString {
        switch self {
        case .active: "active"
        case .deceased: "deceased"
        case .deregistered: "deregistered"
        }
    }

    public init?(wireName: String) {
        switch wireName {
        case "active": self = .active
        case "deceased": self = .deceased
        case "deregistered": self = .deregistered
        default: return nil
        }
    }
}

/// Navet's deregistration reason codes (AvregistreringsorsakKod other than AV, which is `deceased`).
public enum DeregistrationReason: String, Sendable, Hashable, CaseIterable {
    case UV, GN, AN, AS, GS, OB, TA
}

/// `status` of a record: state, the date it took effect (Navet's deregistration dates may be
/// incomplete) and, for deregistered, Navet's reason.
public struct PersonStatus: Sendable, Hashable {
    public var state: LifeState
    public var date: RegisterDate?
    public var reason: DeregistrationReason?

    public init(state: LifeState = .active, date: RegisterDate? = nil, reason: DeregistrationReason? = nil) {
        self.state = state
        self.date = date
        self.reason = reason
    }

    /// A status with a complete date (or none).
    public init(state: LifeState, civilDate: CivilDate?, reason: DeregistrationReason? = nil) {
        self.init(state: state, date: civilDate.map(RegisterDate.init), reason: reason)
    }
}

/// The consent under which digital contact details were given.
public struct Consent: Sendable, Hashable {
    public var source: String
    public var date: CivilDate

    public init(source: String, date: CivilDate) {
        self.source = source
        self.date = date
    }
}

/// Digital contact details given by the citizen with consent; `version` rises with each change.
public struct ContactDetails: Sendable, Hashable {
    public var email: String?
    public var phone: String?
    public var consent: Consent
    public var version: UInt64

    public init(email: String?, phone: String?, consent: Consent, version: UInt64) {
        self.email = email
        self.phone = phone
        self.consent = consent
        self.version = version
    }
}

/// A person record (personpost) in its full view, as docs/PROTOCOL.md's "Person record" shows it.
///
/// This is the value type used at the edges (import, generation, encoding); the index keeps
/// records in a compact packed form and materialises this only for an answer.
public struct PersonRecord: Sendable, Hashable {
    public var id: Identity
    public var name: PersonName
    public var birthDate: CivilDate?
    public var sex: Sex?
    public var address: PostalAddress?
    public var specialAddress: PostalAddress?
    public var foreignAddress: ForeignAddress?
    /// Two-digit länskod, e.g. "01".
    public var county: String?
    /// Four-digit kommunkod, e.g. "0180".
    public var municipality: String?
    public var protection: Protection
    public var test: Bool
    public var status: PersonStatus
    /// The region whose notification file delivered the record (two-digit code).
    public var region: String?
    public var contact: ContactDetails?
    /// The reserve identities linked to this person now.
    public var reserveLinks: [Identity]
    /// For a reserve identity's own record: its link and link history; nil for everyone else.
    public var reserve: ReserveState?
    /// The profile-P4 parts; nil when none is known.
    public var details: PersonDetails?
    /// The P5 history folkbok recorded, newest first (never read from an import).
    public var history: [HistoryEntry]
    public var version: UInt64

    public init(
        id: Identity, name: PersonName = PersonName(), birthDate: CivilDate? = nil, sex: Sex? = nil,
        address: PostalAddress? = nil, specialAddress: PostalAddress? = nil, foreignAddress: ForeignAddress? = nil,
        county: String? = nil, municipality: String? = nil, protection: Protection = .none, test: Bool = false,
        status: PersonStatus = PersonStatus(), region: String? = nil, contact: ContactDetails? = nil,
        reserveLinks: [Identity] = [], reserve: ReserveState? = nil, details: PersonDetails? = nil,
        history: [HistoryEntry] = [], version: UInt64 = 0
    ) {
        self.id = id
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.specialAddress = specialAddress
        self.foreignAddress = foreignAddress
        self.county = county
        self.municipality = municipality
        self.protection = protection
        self.test = test
        self.status = status
        self.region = region
        self.contact = contact
        self.reserveLinks = reserveLinks
        self.reserve = reserve
        self.details = details
        self.history = history
        self.version = version
    }
}
