import FolkbokModel

/// The dimensions of one lookup event: one access-log entry of `person.get`, `person.getMany`,
/// `person.search`, `extract.create` or `reserve.get` in a customer session (docs/PROTOCOL.md,
/// "Usage statistics").
///
/// Guarantees: `ageBand` and `sex` are `unknown` whenever `outcome` is not `full` (a limited
/// answer must not let statistics say more than the caller saw); the initialisers enforce it and
/// the properties cannot be changed afterwards. Holds no identity of the person looked up.
public struct LookupEvent: Sendable, Hashable {
    public let method: LookupMethod
    public let customer: String
    public let category: CustomerCategory
    /// The customer's region (a municipality's first two digits), nil for a private provider.
    public let region: String?
    /// The session's staff id.
    public let user: String?
    public let purpose: Purpose
    public let contract: Contract
    public let profile: Profile?
    public let outcome: LookupOutcome
    public let ageBand: AgeBand
    public let sex: StatsSex
    public let hour: StatsHour

    public init(
        method: LookupMethod, customer: String, category: CustomerCategory, region: String?, user: String?,
        purpose: Purpose, contract: Contract, profile: Profile?, outcome: LookupOutcome, ageBand: AgeBand,
        sex: StatsSex, hour: StatsHour
    ) {
        self.method = method
        self.customer = customer
        self.category = category
        self.region = region
        self.user = user
        self.purpose = purpose
        self.contract = contract
        self.profile = profile
        self.outcome = outcome
        self.ageBand = outcome.shown(ageBand)
        self.sex = outcome.shown(sex)
        self.hour = hour
    }

    /// The event an access-log entry of `session` makes, or nil when it is not counted (an
    /// operator session, or one without purpose and contract). `birthDate` and `sex` are the
    /// answered record's; the age is taken on the UTC date of `unixMicros`.
    public init?(
        session: Session, method: LookupMethod, profile: Profile?, outcome: LookupOutcome,
        birthDate: CivilDate?, sex: Sex?, unixMicros: Int64
    ) {
        guard !session.isOperator, let purpose = session.purpose, let contract = session.contract else { return nil }
        let hour = StatsHour(unixMicros: unixMicros)
        self.init(
            method: method, customer: session.customer.id, category: session.customer.category,
            region: session.customer.homeRegion, user: session.user, purpose: purpose, contract: contract,
            profile: profile, outcome: outcome, ageBand: AgeBand.of(birthDate: birthDate, on: hour.date),
            sex: StatsSex(sex), hour: hour)
    }
}
