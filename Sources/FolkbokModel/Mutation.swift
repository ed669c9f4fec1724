/// A change to the register. Every change passes `Engine.commit`, the one place where it is
/// given its log sequence number (and, with durability, written to the log before it is applied).
public enum Mutation: Sendable, Equatable {
    case upsert(IdentityKey, PersonRecord)
    case remove(IdentityKey)

    public var key: IdentityKey {
        switch self {
        case .upsert(let key, _), .remove(let key): key
        }
    }
}

/// What a commit did: counts by effect and the highest log sequence number it used.
public struct CommitSummary: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var removed = 0
    public var lsn: UInt64 = 0

    public init() {}
}
