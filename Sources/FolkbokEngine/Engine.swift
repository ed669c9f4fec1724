import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Synchronization

/// The sharded register: routes each key to its shard, batches reads per shard, and funnels
/// every change through `commit`.
///
/// Guarantees: a read batch awaits each shard at most once; commits are applied one after
/// another in log-sequence order; `lsn` is the version of the newest applied change.
public final class Engine: Sendable {
    public let shards: [Shard]
    let committer = Committer(lastLSN: 0)
    private let appliedLSN = Atomic<UInt64>(0)
    private let searchRebuilds = Atomic<Int>(0)
    private let attachedLog: Locked<(any CommitLog)?>
    private let failure = Locked<String?>(nil)
    /// Reserve identities' keys and links, readable without a shard hop.
    public let reserves = ReserveDirectory()
    /// Serialises read-modify-write changes (`modify`) with one another up to their log queueing.
    let writeLock = AsyncLock()
    /// The newest record (nil: removed) of each key a `modify` has queued in the log but not
    /// applied yet, with its LSN; read only by later `modify` plans.
    let inFlight = Locked<[UInt64: (lsn: UInt64, record: PersonRecord?)]>([:])
    /// The room `inFlight` keeps once empty; beyond it, it is given back.
    static let inFlightCapacityKept = 1024

    public init(shardCount: Int, log: (any CommitLog)? = nil) {
        precondition(shardCount >= 1, "an engine needs at least one shard")
        shards = (0..<shardCount).map { _ in Shard() }
        attachedLog = Locked(log)
    }

    /// Sets the log every later commit is written to (after recovery has replayed the old one).
    public func attach(log: any CommitLog) { attachedLog.withLock { $0 = log } }

    /// Why writes are refused, or nil while the engine is writable.
    public var readOnlyReason: String? { failure.withLock { $0 } }

    /// Marks the engine read-only (until `resumeWrites` succeeds); the first reason is kept.
    public func fail(_ reason: String) { failure.withLock { $0 = $0 ?? reason } }

    /// Makes the engine writable again (`resumeWrites`, once the log resumed).
    func clearFailure() { failure.withLock { $0 = nil } }

    /// The attached log, if any.
    var log: (any CommitLog)? { attachedLog.withLock { $0 } }

    /// After recovery: the next commit continues after `lsn`.
    public func resume(after lsn: UInt64) async {
        await committer.resume(after: lsn)
        appliedLSN.store(lsn, ordering: .releasing)
    }

    /// The newest applied log sequence number.
    public var lsn: UInt64 { appliedLSN.load(ordering: .acquiring) }

    @inline(__always)
    public func shardIndex(_ key: IdentityKey) -> Int { Engine.shardIndex(key, shardCount: shards.count) }

    /// The shard a key belongs to among `shardCount` shards (snapshots rely on this to know
    /// whether stored shard images still fit).
    @inline(__always)
    public static func shardIndex(_ key: IdentityKey, shardCount: Int) -> Int {
        Int(truncatingIfNeeded: mix64(key.raw) >> 33) % shardCount
    }

    /// The records for `keys`, in the same order, read on the calling thread through each
    /// shard's view: no hop and no await, safe from any thread while the shards write.
    public func recordsNow(for keys: [IdentityKey]) -> [PersonRecord?] {
        keys.map { key in shards[shardIndex(key)].view.read { $0.record(for: key) } }
    }

    /// Calls `body` with the record under `key` read in place through its shard's view, on the
    /// calling thread (no hop, no await); `body` runs under the view's lock, so keep it short.
    public func withPacked<T>(_ key: IdentityKey, _ body: (PackedPerson?) -> T) -> T {
        shards[shardIndex(key)].view.withPacked(key, body)
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
    /// writes them to the log, waits until they are durable, applies them grouped by shard in
    /// log order, and answers what changed. After a log failure every commit throws `readOnly`
    /// until `resumeWrites` succeeds.
    public func commit(_ mutations: [Mutation]) async throws(EngineError) -> CommitSummary {
        try await complete(try await prepare(mutations))
    }

    /// A commit that has its LSNs and is queued in the log, not yet durable or applied.
    struct PreparedCommit: Sendable {
        let ticket: UInt64
        let first: UInt64
        /// The mutations as they will be applied (upserts carry their LSN as `version`).
        let mutations: [Mutation]
        let wait: (any DurabilityWait)?
    }

    /// The first half of `commit`: numbers the mutations and queues them in the log. Refuses
    /// (without taking LSNs) while read-only; the check runs inside the committer, so no commit
    /// takes LSNs between a failure and `resumeWrites`.
    ///
    /// `encoded`, when not empty, holds the mutations' log payloads encoded ahead (one
    /// `PreEncodedUpsert` per mutation, all upserts): they are numbered in place instead of
    /// encoding the mutations here.
    func prepare(_ mutations: consuming [Mutation], encoded: consuming [PreEncodedUpsert] = [])
        async throws(EngineError) -> PreparedCommit
    {
        if let reason = readOnlyReason { throw .readOnly(reason) }
        let log = attachedLog.withLock { $0 }
        // Numbered in place: when the caller handed its only reference over (an import's
        // batch), no record is copied.
        var numbered = mutations
        var ahead = encoded
        precondition(ahead.isEmpty || ahead.count == numbered.count, "one encoding per mutation")
        let count = numbered.count
        let reserved = await committer.reserve(count) { first -> (any DurabilityWait)?? in
            guard self.readOnlyReason == nil else { return nil }
            Self.number(&numbered, from: first)
            guard !ahead.isEmpty else { return .some(log?.enqueue(numbered, firstLSN: first)) }
            var payloads: [[UInt8]] = []
            payloads.reserveCapacity(count)
            for i in ahead.indices {
                ahead[i].setVersion(first + UInt64(i))
                payloads.append(ahead[i].bytes)
            }
            ahead = []  // the payloads are the encodings' only holders again
            return .some(log?.enqueue(numbered, payloads: payloads, firstLSN: first))
        }
        guard let (ticket, first, wait) = reserved else {
            throw .readOnly(readOnlyReason ?? "the engine is read-only")
        }
        return PreparedCommit(ticket: ticket, first: first, mutations: numbered, wait: wait)
    }

    /// The second half of `commit`: waits until the mutations are durable, then applies them
    /// in log order. `settle` runs once the commit is applied or has failed, before the next
    /// commit's turn.
    func complete(_ commit: PreparedCommit, settle: () -> Void = {}) async throws(EngineError) -> CommitSummary {
        let (ticket, first, mutations) = (commit.ticket, commit.first, commit.mutations)
        var logFailure: String?
        do { try await commit.wait?.durable() } catch {
            logFailure =
                "the write-ahead log failed (\(error)); the server is read-only until the log can be written again (retried every second)"
            fail(logFailure!)
        }
        await committer.waitTurn(ticket)
        if let logFailure {
            settle()
            await committer.finish(ticket)
            throw .readOnly(readOnlyReason ?? logFailure)
        }
        let summary = await apply(mutations, lastLSN: first + UInt64(mutations.count) - 1)
        settle()
        await committer.finish(ticket)
        return summary
    }

    /// A consistent cut for a snapshot: every shard's store as of one LSN, taken between
    /// commits (no commit is half-applied in it). Copies are copy-on-write, so this costs
    /// milliseconds; commits wait only for the copying.
    public func snapshotCut() async -> (lsn: UInt64, stores: [PersonStore]) {
        let (ticket, _, _) = await committer.reserve(0) { _ in () }!
        await committer.waitTurn(ticket)
        var stores: [PersonStore] = []
        for shard in shards { stores.append(await shard.storeCopy) }
        let lsn = self.lsn
        await committer.finish(ticket)
        return (lsn, stores)
    }

    /// Mutations from which `apply` runs the shards side by side.
    static let parallelApply = 8192

    /// Applies mutations that already carry their versions (recovery replay), grouped by shard;
    /// a batch of `parallelApply` or more applies the shards concurrently.
    public func apply(_ mutations: [Mutation], lastLSN: UInt64) async -> CommitSummary {
        // Each shard gets the batch itself (shared, not copied) and the positions of its
        // mutations, in log order: a `Mutation` is a large value, and copying every one into a
        // per-shard array cost a memmove and a dozen retains and releases each.
        var perShard = [[Int32]](repeating: [], count: shards.count)
        if mutations.count >= 1024 {
            // Keys spread evenly over the shards: one allocation each instead of a doubling series.
            for s in shards.indices { perShard[s].reserveCapacity(mutations.count / shards.count * 9 / 8 + 16) }
        }
        for i in mutations.indices { perShard[shardIndex(mutations[i].key)].append(Int32(truncatingIfNeeded: i)) }
        var summary = CommitSummary()
        if mutations.count >= Self.parallelApply {
            // A large batch (an import's, a replay's): the shards apply side by side.
            let shards = self.shards
            summary = await withTaskGroup(of: CommitSummary.self) { group in
                for s in shards.indices where !perShard[s].isEmpty {
                    let positions = perShard[s]
                    group.addTask { await shards[s].apply(mutations, at: positions) }
                }
                var total = CommitSummary()
                for await part in group {
                    total.inserted += part.inserted
                    total.updated += part.updated
                    total.removed += part.removed
                }
                return total
            }
        } else {
            for s in shards.indices where !perShard[s].isEmpty {
                let part = await shards[s].apply(mutations, at: perShard[s])
                summary.inserted += part.inserted
                summary.updated += part.updated
                summary.removed += part.removed
            }
        }
        // By index: `for mutation in mutations where …` copied every mutation before the test.
        for i in mutations.indices where mutations[i].key.raw >> 62 != 0 {
            switch mutations[i] {
            case .upsert(let key, let record): reserves.note(key, record)
            case .remove(let key): reserves.forget(key)
            }
        }
        if lastLSN > appliedLSN.load(ordering: .relaxed) { appliedLSN.store(lastLSN, ordering: .releasing) }
        summary.lsn = lastLSN
        return summary
    }

    /// A read-modify-write change: reads `keys`, lets `plan` decide the mutations from what it
    /// read, and commits them, as if no other `modify` ran in between (so checks such as "not
    /// yet linked" or `ifVersion` hold when the change lands). `plan` throwing commits nothing.
    /// An empty plan commits nothing and answers an empty summary.
    ///
    /// The lock is held only while reading, planning and queueing in the log, not across the
    /// sync, so concurrent read-modify-writes share a group commit: a later plan reads the
    /// records of earlier ones still in flight (`inFlight`), and the reserve directory knows
    /// their new reserve identities (so no NRID, local value or serial is handed out twice),
    /// but readers never see a change before it is durable and applied.
    public func modify(reading keys: [IdentityKey], _ plan: ([PersonRecord?]) throws -> [Mutation]) async throws
        -> CommitSummary
    {
        await writeLock.lock()
        let prepared: PreparedCommit
        do {
            let mutations = try plan(await recordsForPlanning(keys))
            guard !mutations.isEmpty else {
                await writeLock.unlock()
                return CommitSummary()
            }
            prepared = try await prepare(mutations)
        } catch {
            await writeLock.unlock()
            throw error
        }
        var lsn = prepared.first
        inFlight.withLock { pending in
            for mutation in prepared.mutations {
                switch mutation {
                case .upsert(let key, let record):
                    pending[key.raw] = (lsn, record)
                    if key.raw >> 62 != 0 { reserves.noteIssued(key, record) }
                case .remove(let key): pending[key.raw] = (lsn, nil)
                }
                lsn += 1
            }
        }
        await writeLock.unlock()
        // Settled before the next commit's turn: a failed commit's records are gone from
        // `inFlight` before `resumeWrites` can reuse its LSNs.
        return try await complete(prepared) {
            inFlight.withLock { pending in
                for mutation in prepared.mutations
                where (pending[mutation.key.raw]?.lsn ?? .max) < prepared.first + UInt64(prepared.mutations.count) {
                    pending[mutation.key.raw] = nil
                }
                // A dictionary never shrinks: an import's batch would leave room for 32 k
                // records (6 MB) behind for good.
                if pending.isEmpty && pending.capacity > Self.inFlightCapacityKept { pending = [:] }
            }
        }
    }

    /// What a plan reads for `keys`: the records in flight (queued, not applied yet) over the
    /// shards' records. The in-flight records are looked at first, then the shards: a commit
    /// applied in between is in both, and one removed from `inFlight` before this look is
    /// already in the shards.
    func recordsForPlanning(_ keys: [IdentityKey]) async -> [PersonRecord?] {
        let newer = inFlight.withLock { pending in pending.isEmpty ? [] : keys.map { pending[$0.raw] } }
        var read = keys.isEmpty ? [] : await records(for: keys)
        for (i, entry) in newer.enumerated() { if let entry { read[i] = entry.record } }
        return read
    }

    /// Rebuilds `reserves` from the shards (after recovery installed new stores).
    /// Readers see the old directory or the new one, never a half-built one.
    public func rebuildReserveDirectory() async {
        var entries: [(IdentityKey, PersonRecord)] = []
        for shard in shards {
            for (key, entry) in await shard.reserveEntries {
                entries.append((key, PersonRecord(id: entry.id, reserve: entry.state)))
            }
        }
        reserves.replaceAll(entries)
    }

    /// Numbers upserts' versions with consecutive LSNs starting at `first`, in place: each
    /// mutation is moved out and back, so a uniquely held array costs no copy of its records
    /// (no retain and release of their strings).
    static func number(_ mutations: inout [Mutation], from first: UInt64) {
        mutations.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for i in 0..<buffer.count {
                let slot = base + i
                let mutation = slot.move()
                switch consume mutation {
                case .upsert(let key, var record):
                    record.version = first + UInt64(i)
                    slot.initialize(to: .upsert(key, consume record))
                case .remove(let key):
                    slot.initialize(to: .remove(key))
                }
            }
        }
    }

    /// Keys of all records whose region is `region`, across shards.
    public func keys(inRegion region: String?) async -> [IdentityKey] {
        var all: [IdentityKey] = []
        for shard in shards { all += await shard.keys(inRegion: region) }
        return all
    }

    /// Keys of the records of `region` changed after `version`, in version order (the change feed).
    public func changes(inRegion region: String, after version: UInt64) async -> [IdentityKey] {
        var all: [(version: UInt64, key: IdentityKey)] = []
        for shard in shards { all += await shard.changes(inRegion: region, after: version) }
        all.sort { $0.version < $1.version }
        return all.map(\.key)
    }

    /// Keys of records matching `criteria`, ascending, after `after`, at most `limit`: each
    /// shard answers its own smallest `limit`, and the merge keeps the smallest overall.
    public func search(_ criteria: SearchCriteria, after: IdentityKey?, limit: Int) async -> [IdentityKey] {
        var all: [IdentityKey] = []
        for shard in shards { all += await shard.search(criteria, after: after, limit: limit) }
        all.sort()
        return Array(all.prefix(limit))
    }

    /// Releases spare capacity and rebuilds the search index of every shard (side by side), each
    /// from all its rows unless it is exact already: O(persons). Call once after a bulk load or
    /// recovery, never per batch; after an import, `movingOutOfHeapArenas`
    /// (`PersonStore.trimAndRebuildSearchIndex`).
    public func trimAndRebuildSearchIndex(movingOutOfHeapArenas: Bool = false) async {
        searchRebuilds.add(1, ordering: .relaxed)
        await withTaskGroup(of: Void.self) { group in
            for shard in shards {
                group.addTask { await shard.trimAndRebuildSearchIndex(movingOutOfHeapArenas: movingOutOfHeapArenas) }
            }
        }
    }

    /// Drops every shard's search index until `trimAndRebuildSearchIndex`, for a bulk load that
    /// will rebuild it at its end anyway: its batches then spend nothing on keeping the index
    /// current. A search meanwhile builds its shard's index first (`Shard.search`), as after
    /// a restart, so answers stay exact.
    public func deferSearchIndex() async {
        for shard in shards { await shard.deferSearchIndex() }
    }

    @available(*, deprecated, renamed: "trimAndRebuildSearchIndex()", message: "it rebuilds the search index too")
    public func trim() async { await trimAndRebuildSearchIndex() }

    /// How many times `trimAndRebuildSearchIndex` rebuilt every shard's search index (tests
    /// check an import does it at most once).
    public var searchIndexRebuilds: Int { searchRebuilds.load(ordering: .relaxed) }

    public func count() async -> Int {
        var n = 0
        for shard in shards { n += await shard.count }
        return n
    }
}
