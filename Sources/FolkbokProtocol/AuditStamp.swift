import FolkbokAudit
import FolkbokModel

/// The part of an access-log entry a request fixes (who, as whom, why, how, when); each
/// disclosed or refused person adds who it was about and what was shown.
struct AuditStamp: Sendable {
    let session: Session
    let caller: AuditCaller
    let time: Int64

    init(session: Session, method: String, profile: Profile?, time: Int64) {
        self.init(session: session, caller: AuditCaller(session, method: method, profile: profile), time: time)
    }

    /// With a caller made before (`Session.getCaller`), so the stamp allocates nothing.
    init(session: Session, caller: AuditCaller, time: Int64) {
        self.session = session
        self.caller = caller
        self.time = time
    }

    func entry(person: Identity?, resolved: Identity?, _ outcome: AuditOutcome?) -> AuditEntry {
        AuditEntry(time: time, caller: caller, person: person, resolved: resolved, outcome: outcome)
    }

    /// The entry of a disclosure that answered `record`: statistics may count its birth date and
    /// sex when the outcome is full.
    func entry(person: Identity?, answered record: some RecordSource, _ outcome: AuditOutcome) -> AuditEntry {
        var e = entry(person: person, resolved: record.id, outcome)
        if outcome == .full { e.subject = AuditSubject(birthDate: record.birthDate, sex: record.sex) }
        return e
    }

    /// The answer when the access log cannot take a disclosure's entries: nothing is shown.
    static let auditUnavailable = RPCError.unavailable("the access log cannot be written; nothing is disclosed")
}
