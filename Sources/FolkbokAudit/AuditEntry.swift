import FolkbokModel

/// One access-log entry: who asked, as whom, why, under which contract, about whom, and what
/// was shown. docs/PROTOCOL.md's `audit.query` entry shape.
///
/// Guarantees: holds no person data beyond the identities asked for and answered.
public struct AuditEntry: Sendable, Equatable {
    /// Assigned by the log when the entry is appended (0 before).
    public var seq: UInt64
    /// Microseconds since the Unix epoch (UTC).
    public var time: Int64
    public var customer: String
    public var user: String?
    public var purpose: String?
    public var contract: String?
    public var method: String
    public var profile: String?
    /// The identity asked for.
    public var person: Identity?
    /// The identity answered (differs from `person` through a reserve link).
    public var resolved: Identity?
    public var outcome: AuditOutcome?
    /// What usage statistics may count about the person answered (only for a `full`
    /// disclosure, else nil): never shown by `audit.query`.
    public var subject: AuditSubject?

    public init(
        seq: UInt64 = 0, time: Int64, customer: String, user: String?, purpose: String?, contract: String?,
        method: String, profile: String?, person: Identity?, resolved: Identity?, outcome: AuditOutcome?,
        subject: AuditSubject? = nil
    ) {
        self.seq = seq
        self.time = time
        self.customer = customer
        self.user = user
        self.purpose = purpose
        self.contract = contract
        self.method = method
        self.profile = profile
        self.person = person
        self.resolved = resolved
        self.outcome = outcome
        self.subject = outcome == .full ? subject : nil
    }
}

/// The birth date and sex of the person a full disclosure answered: what usage statistics
/// derive the age band and sex dimensions from, so they can be recounted from the log.
public struct AuditSubject: Sendable, Equatable {
    public var birthDate: CivilDate?
    public var sex: Sex?

    public init(birthDate: CivilDate?, sex: Sex?) {
        self.birthDate = birthDate
        self.sex = sex
    }
}

/// What a disclosure showed. Raw values are frozen (they are stored on disk).
public enum AuditOutcome: UInt8, Sendable, Equatable, CaseIterable {
    case full = 1
    case limited = 2
    case notFound = 3
    case forbidden = 4

    public var wireName: String {
        switch self {
        case .full: "full"
        case .limited: "limited"
        case .notFound: "not_found"
        case .forbidden: "forbidden"
        }
    }
}
