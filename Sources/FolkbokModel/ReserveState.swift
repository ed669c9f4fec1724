/// One period during which a reserve identity pointed at a person's real identity.
public struct ReserveLink: Sendable, Hashable {
    public var to: Identity
    /// Microseconds since the Unix epoch (UTC).
    public var linkedAt: Int64
    /// When the link was undone, nil while it holds.
    public var unlinkedAt: Int64?

    public init(to: Identity, linkedAt: Int64, unlinkedAt: Int64? = nil) {
        self.to = to
        self.linkedAt = linkedAt
        self.unlinkedAt = unlinkedAt
    }
}

/// What folkbok keeps about a reserve identity besides its person data: the identity it is
/// linked to now and every link it ever had.
///
/// Guarantees (kept by the writers, checked by `isConsistent`): `linkedTo` is the `to` of the
/// last history entry exactly when that entry has no `unlinkedAt`; every earlier entry is
/// closed; history is in time order.
public struct ReserveState: Sendable, Hashable {
    public var linkedTo: Identity?
    public var history: [ReserveLink]

    public init(linkedTo: Identity? = nil, history: [ReserveLink] = []) {
        self.linkedTo = linkedTo
        self.history = history
    }

    /// Whether the state keeps the guarantees above.
    public var isConsistent: Bool {
        for link in history.dropLast() where link.unlinkedAt == nil { return false }
        guard let last = history.last else { return linkedTo == nil }
        return last.unlinkedAt == nil ? linkedTo == last.to : linkedTo == nil
    }

    /// The state after linking to `person` at `time` (closing nothing: the caller checks that
    /// the identity is not linked).
    public func linking(_ person: Identity, at time: Int64) -> ReserveState {
        ReserveState(linkedTo: person, history: history + [ReserveLink(to: person, linkedAt: time)])
    }

    /// The state after undoing the current link at `time`.
    public func unlinking(at time: Int64) -> ReserveState {
        var history = self.history
        if let last = history.indices.last, history[last].unlinkedAt == nil { history[last].unlinkedAt = time }
        return ReserveState(linkedTo: nil, history: history)
    }
}
