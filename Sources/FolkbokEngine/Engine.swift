import FolkbokModel
import FolkbokIndex
import Synchronization

/// The sharded register: routes each key to its shard, batches reads per shard, and funnels
/// every change through `commit`.
///
/// Guarantees: a read batch awaits each shard at most once; commits are applied one after
/// another in log-sequence order; `lsn` is the version of the newest applied change.
public final class Engine: Sendable {
    public let shards: [Shard]
    private let committer = Committer()
    private let appliedLSN = Atomic<UInt64>(0)

    public init(shardCount: Int) {
        precondition(shardCount >= 1, "an engine needs at least one shard")
        shards = (0..<shardCount).map { _ in Shard() }
    }

    /// The newest applied log sequence number.
    public var lsn: UInt64 { appliedLSN.load(ordering: .acquiring) }

    @inline(__always)
    public func shardIndex(_ key: IdentityKey) -> Int {
        Int(truncatingIfNeeded: mix64(key.raw) >> 33) % shards.count
    }

    /// The records for `keys`, in the same order; nil where there is none.
    public func records(for keys: [IdentityKey]) async -> [PersonRecord?] {
        if shards.count == 1 || keys.count == 1 {
            if keys.count == 1 { return await shards[shardIndex(keys[0])].records(keys) }
            return await shards[0].records(keys)
        }
        var positions = [[Int]](repeating: [], count: shards.count)
        var perShard = [[IdentityKey]](repeating: [], count: shards.count)
        for (i, key) in keys.enumerated() {
            let s = shardIndex(key)
            positions[s].append(i)
            perShard[s].append(key)
        }
        var out = [PersonRecord?](repeating: nil, count: keys.count)
        for s in shards.indices where !perShard[s].isEmpty {
            let found = await shards[s].records(perShard[s])
            for (j, record) in found.enumerated() { out[positions[s][j]] = record }
        }
        return out
    }

    /// Gives each mutation the next log sequence number (stored as the record's `version`),
    /// applies them grouped by shard, and answers what changed.
    public func commit(_ mutations: [Mutation]) async -> CommitSummary {
        await committer.run {
            var next = self.lsn
            var perShard = [[Mutation]](repeating: [], count: self.shards.count)
            for mutation in mutations {
                next += 1
                switch mutation {
                case .upsert(let key, var record):
                    record.version = next
                    perShard[self.shardIndex(key)].append(.upsert(key, record))
                case .remove(let key):
                    perShard[self.shardIndex(key)].append(.remove(key))
                }
            }
            var summary = CommitSummary()
            for s in self.shards.indices where !perShard[s].isEmpty {
                let part = await self.shards[s].apply(perShard[s])
                summary.inserted += part.inserted
                summary.updated += part.updated
                summary.removed += part.removed
            }
            self.appliedLSN.store(next, ordering: .releasing)
            summary.lsn = next
            return summary
        }
    }

    /// Keys of all records whose region is `region`, across shards.
    public func keys(inRegion region: String?) async -> [IdentityKey] {
        var all: [IdentityKey] = []
        for shard in shards { all += await shard.keys(inRegion: region) }
        return all
    }

    /// Releases spare capacity in every shard; call after a bulk load.
    public func trim() async {
        for shard in shards { await shard.trim() }
    }

    public func count() async -> Int {
        var n = 0
        for shard in shards { n += await shard.count }
        return n
    }
}

/// Runs commit bodies strictly one after another, even though each body awaits shards
/// (an actor alone would let a second commit start while the first is suspended).
actor Committer {
    private var tail: Task<Void, Never>?

    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let previous = tail
        let task = Task<T, Never> {
            await previous?.value
            return await body()
        }
        tail = Task { _ = await task.value }
        return await task.value
    }
}
