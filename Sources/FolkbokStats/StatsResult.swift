/// The answer to a `StatsQuery`: lookup rows (and session rows when asked), in protocol order,
/// before rendering.
///
/// Guarantees: rows are ordered by period, then by the `by` values in the order given (`null`
/// first, then ascending by code point); each row has at least one lookup; session rows are
/// ordered by period, then user (`null` first). Rows are stored compactly (period ordinal, group
/// rank, count); `rows` and `sessions` materialise them.
public struct StatsResult: Sendable {
    public let query: StatsQuery
    /// The values of each group, by rank, in `query.by` order.
    package let groups: [[String?]]
    package let compactRows: [Row]
    package let compactSessions: [SessionRow]

    /// A lookup row: period ordinal (`StatsGranularity.label`), group rank (`groups`), count.
    package struct Row: Sendable, Hashable {
        package var period: Int
        package var rank: Int32
        package var lookups: UInt64
    }

    package struct SessionRow: Sendable, Hashable {
        package var period: Int
        package var user: String?
        package var totals: SessionTotals
    }

    /// The number of lookup rows.
    public var rowCount: Int { compactRows.count }

    /// The lookup rows.
    public var rows: [StatsRow] {
        compactRows.map {
            StatsRow(period: query.granularity.label($0.period), values: groups[Int($0.rank)], lookups: $0.lookups)
        }
    }

    /// The session rows (empty unless `query.sessions`).
    public var sessions: [StatsSessionRow] {
        compactSessions.map {
            StatsSessionRow(
                period: query.granularity.label($0.period), user: $0.user, sessions: $0.totals.count,
                seconds: StatsSessionRow.roundedSeconds($0.totals.micros))
        }
    }
}

/// One lookup row: `{"period":..,<each by dimension>:..,"lookups":N}`.
public struct StatsRow: Sendable, Hashable {
    public var period: String
    /// The `by` dimensions' values, in the query's order.
    public var values: [String?]
    public var lookups: UInt64

    public init(period: String, values: [String?], lookups: UInt64) {
        self.period = period
        self.values = values
        self.lookups = lookups
    }
}

/// One session row: `{"period","user","sessions":N,"seconds":S}`.
public struct StatsSessionRow: Sendable, Hashable {
    public var period: String
    public var user: String?
    public var sessions: UInt64
    /// The summed lengths, rounded to the nearest second (halves up).
    public var seconds: UInt64

    public init(period: String, user: String?, sessions: UInt64, seconds: UInt64) {
        self.period = period
        self.user = user
        self.sessions = sessions
        self.seconds = seconds
    }

    package static func roundedSeconds(_ micros: UInt64) -> UInt64 {
        micros / 1_000_000 + (micros % 1_000_000 >= 500_000 ? 1 : 0)
    }
}

extension StatsQuery {
    /// Evaluates the query over `sources` (several owners' counters are read together, no
    /// merge needed), counting `customer`'s lookups only, or every customer's for nil.
    /// `stats.open` passes nil; `stats.get` and `stats.export` pass `customer(for:)`'s answer.
    /// Session rows are computed when `sessions` is set.
    /// - Complexity: see `LookupScan`; independent of how many events were counted.
    public func evaluate(over sources: [StatsCounters], customer: String?) -> StatsResult {
        let (groups, rows) = LookupScan(query: self, sources: sources, customer: customer).run()
        let sessionRows = sessions ? SessionScan(query: self, sources: sources, customer: customer).run() : []
        return StatsResult(query: self, groups: groups, compactRows: rows, compactSessions: sessionRows)
    }
}
