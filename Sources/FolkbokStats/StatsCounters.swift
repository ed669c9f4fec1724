/// Usage-statistics counters: lookups per (UTC hour, dimension tuple) and ended sessions per
/// (UTC hour, customer, user). A value type with one owner (a connection, a shard, or the
/// server's aggregate) that records without locks; several owners are combined with `merge`, or
/// read together by `StatsQuery.evaluate(over:customer:)`.
///
/// Counts are either *pending* (recorded since the last `drainDelta()`, not yet durable) or
/// *settled* (drained, applied from a delta, or decoded). Reading sees both.
///
/// Typical use: each connection owns a `StatsCounters(retainsDrained: false)`, records the
/// lookup events of its access-log entries, and drains a delta into the same durable write as
/// those entries before answering; the server applies every delta to one aggregate, which it
/// queries, snapshots (`encoded()`) and rebuilds after a restart (decode, then `apply` the
/// deltas logged since).
///
/// Guarantees: counts are exact (`UInt64`, session lengths in whole microseconds), so the same
/// events give the same counts whatever the owners, merge order or drain points; no citizen's
/// identity is ever held.
/// - Complexity: `record(_:)` is O(1): while the session part of the event (customer, region,
///   user, purpose, contract) is the previous event's, a few comparisons, arithmetic and one
///   probe of a hash table of the cells since the last drain; the same cell again is one
///   comparison. A new session part costs up to three string look-ups and one caller look-up.
public struct StatsCounters: Sendable {
    var table = DimensionTable()
    var settled = CounterStore()
    var pending = PendingCounts()
    /// Whether drained counts stay here as settled counts (true: this value keeps totals) or are
    /// dropped once drained (false: a write buffer whose deltas an aggregate applies).
    public let retainsDrained: Bool
    private var probe = CallerProbe()
    var deltaMaps = DeltaMaps()

    public init(retainsDrained: Bool = true) {
        self.retainsDrained = retainsDrained
    }

    /// Counts `count` lookups with `event`'s dimensions in its hour.
    @inline(__always)
    public mutating func record(_ event: LookupEvent, count: UInt64 = 1) {
        let caller = probe.matches(event) ? probe.id : intern(callerOf: event)
        let context = CellCode.context(
            caller: caller, slot: CellCode.slot(method: event.method, profile: event.profile))
        let variant = LookupVariant(outcome: event.outcome, ageBand: event.ageBand, sex: event.sex).index
        pending.add(
            count,
            key: PendingCounts.key(hour: event.hour.index, cell: CellCode.cell(context: context, variant: variant)))
    }

    /// The caller id of a session part other than the probe's; strings the probe shares are
    /// not looked up again (a user switch in the same customer costs one string look-up).
    private mutating func intern(callerOf event: LookupEvent) -> UInt32 {
        let customer = probe.valid && probe.customer == event.customer ? probe.customerID : table.intern(event.customer)
        let region = probe.valid && probe.region == event.region ? probe.regionID : table.intern(event.region)
        let user = probe.valid && probe.user == event.user ? probe.userID : table.intern(event.user)
        let c = Caller(
            customer: customer, region: region, user: user, category: event.category, purpose: event.purpose,
            contract: event.contract)
        let id = table.intern(c)
        probe = CallerProbe(event, caller: c, id: id)
        return id
    }

    /// Counts one ended session in its hour.
    public mutating func record(_ event: SessionEvent) {
        let key = SessionKey(
            hour: event.hour.index, customer: table.intern(event.customer), user: table.intern(event.user))
        pending.addSession(SessionTotals(count: 1, micros: event.micros), key: key)
    }

    /// True when nothing was recorded since the last drain.
    public var isDrained: Bool { pending.isEmpty }

    /// True when there is no count at all.
    public var isEmpty: Bool { pending.isEmpty && settled.isEmpty }
}

/// The session part of the last event recorded, so the next event of the same session skips
/// interning. String comparison is a bit comparison when both sides share storage, as events
/// built from one `Session` do.
private struct CallerProbe: Sendable {
    var valid = false
    var customer = ""
    var region: String?
    var user: String?
    var codes: UInt32 = 0
    var customerID: UInt32 = 0
    var regionID: UInt32 = 0
    var userID: UInt32 = 0
    var id: UInt32 = 0

    init() {}

    init(_ e: LookupEvent, caller: Caller, id: UInt32) {
        valid = true
        customer = e.customer
        region = e.region
        user = e.user
        codes = Self.codes(e)
        customerID = caller.customer
        regionID = caller.region
        userID = caller.user
        self.id = id
    }

    @inline(__always)
    static func codes(_ e: LookupEvent) -> UInt32 {
        UInt32(e.category.diskCode) | UInt32(e.purpose.diskCode) << 8 | UInt32(e.contract.diskCode) << 16
    }

    @inline(__always)
    func matches(_ e: LookupEvent) -> Bool {
        valid && codes == Self.codes(e) && customer == e.customer && user == e.user && region == e.region
    }
}
