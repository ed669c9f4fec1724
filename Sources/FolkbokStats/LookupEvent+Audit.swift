import FolkbokAudit
import FolkbokModel

extension LookupEvent {
    /// The lookup event an access-log entry makes, or nil when it makes none: another method,
    /// an operator's or unknown customer, or an entry without purpose, contract or outcome.
    /// Category and region come from `customers` (the configuration in force when counted).
    public init?(entry e: AuditEntry, customer: Customer?) {
        guard let method = LookupMethod(rawValue: e.method), let customer, customer.category != .operator,
            let purpose = e.purpose.flatMap(Purpose.init(rawValue:)),
            let contract = e.contract.flatMap(Contract.init(rawValue:)),
            let outcome = e.outcome.flatMap({ LookupOutcome(rawValue: $0.wireName) })
        else { return nil }
        let hour = StatsHour(unixMicros: e.time)
        self.init(
            method: method, customer: e.customer, category: customer.category, region: customer.homeRegion,
            user: e.user,
            purpose: purpose, contract: contract, profile: e.profile.flatMap(Profile.init(rawValue:)), outcome: outcome,
            ageBand: AgeBand.of(birthDate: e.subject?.birthDate, on: hour.date), sex: StatsSex(e.subject?.sex),
            hour: hour)
    }
}
