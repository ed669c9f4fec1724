import FolkbokIndex
import FolkbokModel

/// One shard of the register: an actor that owns a `PersonStore` and does nothing else.
///
/// Guarantees: every read sees every mutation batch applied before it as a whole (a batch is
/// applied in one actor turn, so no reader sees half of it).
public actor Shard {
    private var store = PersonStore()

    public init() {}

    public func records(_ keys: [IdentityKey]) -> [PersonRecord?] {
        keys.map { store.record(for: $0) }
    }

    /// Applies mutations that already carry their versions; answers the summary of effects.
    func apply(_ mutations: [Mutation]) -> CommitSummary {
        var summary = CommitSummary()
        for mutation in mutations {
            switch mutation {
            case .upsert(let key, let record):
                switch store.upsert(record, key: key) {
                case .inserted: summary.inserted += 1
                case .updated: summary.updated += 1
                }
            case .remove(let key):
                if store.remove(key) { summary.removed += 1 }
            }
        }
        return summary
    }

    public func keys(inRegion region: String?) -> [IdentityKey] { store.keys(inRegion: region) }

    public func changes(inRegion region: String, after version: UInt64) -> [(version: UInt64, key: IdentityKey)] {
        store.changes(inRegion: region, after: version)
    }

    public var count: Int { store.count }

    public func search(_ criteria: SearchCriteria, after: IdentityKey?, limit: Int) -> [IdentityKey] {
        store.search(criteria, after: after, limit: limit)
    }

    /// Every reserve identity's entry in this shard.
    public var reserveEntries: [(key: IdentityKey, entry: ReserveEntry)] { store.reserveEntries }

    /// The store as it is now (a copy-on-write copy: O(1) until the shard next changes).
    public var storeCopy: PersonStore { store }

    /// Replaces the whole store (recovery installs what it loaded).
    func install(_ loaded: PersonStore) { store = loaded }

    /// Releases spare capacity (after a bulk load).
    public func trim() { store.trim() }

    public var footprintBytes: Int { store.footprintBytes }
    /// The part of `footprintBytes` the search index holds.
    public var searchFootprintBytes: Int { store.searchFootprintBytes }
}
