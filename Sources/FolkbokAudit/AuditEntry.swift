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
    /// Who asked and how (shared by the entries of one session's calls of one method).
    public let caller: AuditCaller
    /// The identity asked for.
    public let person: Identity?
    /// The identity answered (differs from `person` through a reserve link).
    public let resolved: Identity?
    public var outcome: AuditOutcome?
    /// What usage statistics may count about the person answered (only for a `full`
    /// disclosure, else nil): never shown by `audit.query`.
    public var subject: AuditSubject?

    public var customer: String { caller.customer }
    public var user: String? { caller.user }
    public var purpose: String? { caller.purpose }
    public var contract: String? { caller.contract }
    public var method: String { caller.method }
    public var profile: String? { caller.profile }

    public init(
        seq: UInt64 = 0, time: Int64, customer: String, user: String?, purpose: String?, contract: String?,
        method: String, profile: String?, person: Identity?, resolved: Identity?, outcome: AuditOutcome?,
        subject: AuditSubject? = nil
    ) {
        self.init(
            seq: seq, time: time,
            caller: AuditCaller(
                customer: customer, user: user, purpose: purpose, contract: contract, method: method, profile: profile),
            person: person, resolved: resolved, outcome: outcome, subject: subject)
    }

    public init(
        seq: UInt64 = 0, time: Int64, caller: AuditCaller, person: Identity?, resolved: Identity?,
        outcome: AuditOutcome?, subject: AuditSubject? = nil
    ) {
        self.seq = seq
        self.time = time
        self.caller = caller
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
