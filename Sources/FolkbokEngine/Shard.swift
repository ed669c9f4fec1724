import FolkbokIndex
import FolkbokModel

/// One shard of the register: an actor that owns a `PersonStore` and is its only writer. Any
/// thread may read the store through `view` without a hop (ShardView.swift has the invariant).
///
/// Guarantees: every read sees every mutation batch of up to `ShardView.writeChunk`
/// mutations applied before it as a whole; a larger batch is applied in chunks of that size.
public actor Shard {
    /// The store, readable from any thread.
    public nonisolated let view = ShardView()

    public init() {}

    public func records(_ keys: [IdentityKey]) -> [PersonRecord?] {
        view.readAsWriter { store in keys.map { store.record(for: $0) } }
    }

    /// Applies `mutations[p]` for each of `positions`, in that order (a batch shared by the
    /// shards, each applying its own part without copying it out); the mutations already carry
    /// their versions. Answers the summary of effects.
    func apply(_ mutations: [Mutation], at positions: [Int32]) -> CommitSummary {
        BackgroundPriority.enterIfBackgroundTask()  // an import's batch: the readers come first
        var summary = CommitSummary()
        var start = 0
        while start < positions.count {
            let chunk = positions[start..<min(positions.count, start + ShardView.writeChunk)]
            start = chunk.endIndex
            let upserts = chunk.reduce(0) { if case .upsert = mutations[Int($1)] { $0 + 1 } else { $0 } }
            view.write(inserting: upserts) { store in
                // Through the buffer: a mutation is read in place, not copied out of the array.
                mutations.withUnsafeBufferPointer { mutations in
                    for p in chunk { apply(mutations[Int(p)], to: &store, &summary) }
                }
            }
        }
        return summary
    }

    private func apply(_ mutation: borrowing Mutation, to store: inout PersonStore, _ summary: inout CommitSummary) {
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

    public func keys(inRegion region: String?) -> [IdentityKey] { view.readAsWriter { $0.keys(inRegion: region) } }

    public func changes(inRegion region: String, after version: UInt64) -> [(version: UInt64, key: IdentityKey)] {
        view.readAsWriter { $0.changes(inRegion: region, after: version) }
    }

    public var count: Int { view.readAsWriter { $0.count } }

    /// Builds the search index first if it is deferred (after a restart, until the build
    /// `Engine.trimAndRebuildSearchIndex` starts reaches this shard).
    public func search(_ criteria: SearchCriteria, after: IdentityKey?, limit: Int) -> [IdentityKey] {
        if !view.readAsWriter({ $0.searchIndexIsBuilt }) { trimAndRebuildSearchIndex() }
        return view.readAsWriter { $0.search(criteria, after: after, limit: limit) }
    }

    /// Every reserve identity's entry in this shard.
    public var reserveEntries: [(key: IdentityKey, entry: ReserveEntry)] { view.readAsWriter { $0.reserveEntries } }

    /// The store as it is now (a copy-on-write copy: O(1); the next write copies what it
    /// shares before it takes the view's lock).
    public var storeCopy: PersonStore { view.copyAsWriter() }

    /// Replaces the whole store (recovery installs what it loaded).
    func install(_ loaded: PersonStore) { view.replaceAsWriter(with: loaded) }

    /// Releases spare capacity and rebuilds the search index (after a bulk load, or to build a
    /// deferred one): `PersonStore.trimAndRebuildSearchIndex`. Built on a copy, outside the
    /// view's lock: reads go on meanwhile, and writes wait on this actor.
    public func trimAndRebuildSearchIndex(movingOutOfHeapArenas: Bool = false) {
        BackgroundPriority.enterIfBackgroundTask()
        var trimmed = view.readAsWriter { copy $0 }
        trimmed.trimAndRebuildSearchIndex(movingOutOfHeapArenas: movingOutOfHeapArenas)
        view.replaceAsWriter(with: trimmed)
    }

    /// `PersonStore.deferSearchIndex`; the next `search` builds it again first.
    public func deferSearchIndex() { view.write(inserting: 0) { $0.deferSearchIndex() } }

    public var footprintBytes: Int { view.readAsWriter { $0.footprintBytes } }
    /// The part of `footprintBytes` the search index holds.
    public var searchFootprintBytes: Int { view.readAsWriter { $0.searchFootprintBytes } }
}
