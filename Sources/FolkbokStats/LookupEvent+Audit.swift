import FolkbokAudit
import FolkbokModel

/// What an access-log entry's caller fixes of the lookup events it makes: everything but the
/// outcome, the person's age band and sex, and the hour. Worked out once per caller (a session's
/// calls of one method share one `AuditCaller`), not once per entry.
struct LookupCallerPart {
    let method: LookupMethod
    let customer: String
    let category: CustomerCategory
    let region: String?
    let user: String?
    let purpose: Purpose
    let contract: Contract
    let profile: Profile?

    /// nil when the caller's entries make no lookup event: another method, an operator's or
    /// unknown customer, or no purpose or contract.
    init?(_ caller: AuditCaller, customer: Customer?) {
        guard let method = LookupMethod(rawValue: caller.method), let customer, customer.category != .operator,
            let purpose = caller.purpose.flatMap(Purpose.init(rawValue:)),
            let contract = caller.contract.flatMap(Contract.init(rawValue:))
        else { return nil }
        self.method = method
        self.customer = caller.customer
        category = customer.category
        region = customer.homeRegion
        user = caller.user
        self.purpose = purpose
        self.contract = contract
        profile = caller.profile.flatMap(Profile.init(rawValue:))
    }
}

extension LookupEvent {
    /// The lookup event an access-log entry makes, or nil when it makes none: another method,
    /// an operator's or unknown customer, or an entry without purpose, contract or outcome.
    /// Category and region come from `customers` (the configuration in force when counted).
    public init?(entry e: AuditEntry, customer: Customer?) {
        guard let part = LookupCallerPart(e.caller, customer: customer) else { return nil }
        self.init(time: e.time, outcome: e.outcome, subject: e.subject, part: part)
    }

    /// As `init(entry:customer:)` with the caller's part already worked out.
    init?(time: Int64, outcome: AuditOutcome?, subject: AuditSubject?, part: LookupCallerPart) {
        guard let outcome = outcome.map(LookupOutcome.init) else { return nil }
        let hour = StatsHour(unixMicros: time)
        self.init(
            method: part.method, customer: part.customer, category: part.category, region: part.region,
            user: part.user, purpose: part.purpose, contract: part.contract, profile: part.profile, outcome: outcome,
            ageBand: AgeBand.of(birthDate: subject?.birthDate, on: hour.date), sex: StatsSex(subject?.sex), hour: hour)
    }
}

extension LookupOutcome {
    /// An access-log entry's outcome as the statistics count it (the same four, mapped
    /// directly rather than through their names).
    init(_ outcome: AuditOutcome) {
        switch outcome {
        case .full: self = .full
        case .limited: self = .limited
        case .notFound: self = .notFound
        case .forbidden: self = .forbidden
        }
    }
}
