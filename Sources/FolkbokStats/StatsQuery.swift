import FolkbokModel

/// A parsed statistics request: range, periods, grouping and what else to answer.
///
/// Guarantees (when made by `parse`): `from <= to`; `by` has no repeats and only dimensions
/// `method` allows; `granularity` is not `hour` for `stats.open`; `customer` and `sessions` are
/// set only for `stats.get`, `format` is `csv` only for `stats.open`, `exportKind` is set
/// exactly for `stats.export`.
public struct StatsQuery: Sendable, Hashable {
    public var method: StatsMethod
    /// First day counted (inclusive, UTC).
    public var from: CivilDate
    /// Last day counted (inclusive, UTC).
    public var to: CivilDate
    public var granularity: StatsGranularity
    public var by: [StatsDimension]
    /// `stats.get`'s `customer` param, as given.
    public var customer: String?
    /// `stats.get`'s `sessions` param.
    public var sessions: Bool
    public var format: StatsFormat
    public var exportKind: StatsExportKind?

    public init(
        method: StatsMethod, from: CivilDate, to: CivilDate, granularity: StatsGranularity = .day,
        by: [StatsDimension] = [], customer: String? = nil, sessions: Bool = false, format: StatsFormat = .json,
        exportKind: StatsExportKind? = nil
    ) {
        self.method = method
        self.from = from
        self.to = to
        self.granularity = granularity
        self.by = by
        self.customer = customer
        self.sessions = sessions
        self.format = format
        self.exportKind = exportKind
    }

    /// The customer a `stats.get` or `stats.export` of `session` reads: the session's own for a
    /// customer session, the named one for an operator. Nil when a customer session names
    /// another customer (the caller answers 4003).
    /// - Throws: `StatsParamError` (-32602) when an operator session names no customer.
    public func customer(for session: Session) throws(StatsParamError) -> String? {
        if session.isOperator {
            guard let customer else {
                throw StatsParamError(parameter: "customer", "\"customer\" is required in an operator session")
            }
            return customer
        }
        guard customer == nil || customer == session.customer.id else { return nil }
        return session.customer.id
    }
}
