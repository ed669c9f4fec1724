import FolkbokModel
import FolkbokStorage

/// Commits of large batches (imports): planned and applied under the write lock, one log write
/// and one sync a batch, with no in-flight bookkeeping per record.
extension Engine {
    /// `recordsForPlanning` for a bulk batch; a batch none of whose keys is stored or in
    /// flight (a first import) reads no records (one read hold per shard to look the keys up).
    private func storedForPlanning(_ keys: [IdentityKey]) async -> StoredRecords {
        let noneInFlight = inFlight.withLock { $0.isEmpty }
        if noneInFlight {
            let shardCount = shards.count
            var anyStored = false
            for (s, shard) in shards.enumerated() where !anyStored {
                anyStored = shard.view.read { store in
                    keys.contains { Engine.shardIndex($0, shardCount: shardCount) == s && store.contains($0) }
                }
            }
            if !anyStored { return StoredRecords(noneOf: keys.count) }
        }
        return StoredRecords(await recordsForPlanning(keys))
    }

    /// As `modify`, for large batches (imports): the write lock is held until the change is
    /// applied, so no other `modify` plans while it is in flight and none of its records needs
    /// the in-flight bookkeeping (a copy of every record into a table, and out again) that lets
    /// small writes share a group commit. The batch is one log write and one sync; other writes
    /// wait for it (a batch of 65,536 records takes tens of milliseconds).
    public func modifyInBulk(reading keys: [IdentityKey], _ plan: (StoredRecords) throws -> [Mutation])
        async throws -> CommitSummary
    {
        await writeLock.lock()
        do {
            // Writes queued before the lock was taken may still be in flight: plan against them.
            let mutations = try plan(await storedForPlanning(keys))
            guard !mutations.isEmpty else {
                await writeLock.unlock()
                return CommitSummary()
            }
            let summary = try await complete(try await prepare(consume mutations))
            await writeLock.unlock()
            return summary
        } catch {
            await writeLock.unlock()
            throw error
        }
    }

    /// As `modifyInBulk(reading:_:)` for a batch of upserts whose log payloads were encoded
    /// ahead (`encoded[i]` is `batch[i]`'s, its version unset): `plan` reads what is stored
    /// under the batch's keys and answers the mutations to commit instead, or nil to commit
    /// the batch as it is, in which case the encodings are numbered and logged and nothing is
    /// encoded again (nor copied, when the caller hands its only references over).
    public func modifyInBulk(
        _ batch: consuming [Mutation], encoded: consuming [PreEncodedUpsert],
        _ plan: (StoredRecords, [Mutation]) throws -> [Mutation]?
    ) async throws -> CommitSummary {
        var mutations = batch
        var ahead = encoded
        precondition(ahead.count == mutations.count, "one encoding per mutation")
        let keys = mutations.map(\.key)
        await writeLock.lock()
        do {
            if let planned = try plan(await storedForPlanning(keys), mutations) {
                mutations = planned
                ahead = []
            }
            guard !mutations.isEmpty else {
                await writeLock.unlock()
                return CommitSummary()
            }
            let summary = try await complete(try await prepare(consume mutations, encoded: consume ahead))
            await writeLock.unlock()
            return summary
        } catch {
            await writeLock.unlock()
            throw error
        }
    }
}
