import FolkbokAudit
import FolkbokModel

/// The part of an access-log entry a request fixes (who, as whom, why, how, when); each
/// disclosed or refused person adds who it was about and what was shown.
struct AuditStamp: Sendable {
    let session: Session
    let method: String
    let profile: Profile?
    let time: Int64

    func entry(person: Identity?, resolved: Identity?, _ outcome: AuditOutcome?) -> AuditEntry {
        AuditEntry(
            time: time, customer: session.customerID, user: session.user, purpose: session.purpose?.rawValue,
            contract: session.contract?.rawValue, method: method, profile: profile?.rawValue,
            person: person, resolved: resolved, outcome: outcome)
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
