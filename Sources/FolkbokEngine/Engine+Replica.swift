import FolkbokIndex
import FolkbokModel

/// Applying what a primary shipped (a replica's engine takes no commits of its own).
extension Engine {
    /// Applies mutations that are already durable in this node's log under LSNs up to
    /// `lastLSN` (with their versions as the primary issued them), in a commit turn of their
    /// own, so a snapshot cut never sees half of them; later commits (after a promotion)
    /// continue after `lastLSN`.
    public func applyReplicated(_ mutations: [Mutation], lastLSN: UInt64) async {
        let (ticket, _, _) = await committer.reserve(0) { _ in () }!
        await committer.waitTurn(ticket)
        _ = await apply(mutations, lastLSN: lastLSN)
        await committer.resume(after: lastLSN)
        await committer.finish(ticket)
    }
}

extension Engine {
    /// Replaces every shard's store with `stores` (a primary's snapshot at `lsn`, already
    /// durable in this node's data directory), in a commit turn of its own, so a snapshot cut
    /// sees the old register or the new one; later records continue after `lsn`. A read
    /// during the swap may see some shards of the new register and others of the old (each
    /// whole and durable).
    public func installReplicated(_ stores: [PersonStore], lsn: UInt64) async {
        precondition(stores.count == shards.count, "one store per shard")
        let (ticket, _, _) = await committer.reserve(0) { _ in () }!
        await committer.waitTurn(ticket)
        for (shard, store) in zip(shards, stores) { await shard.install(store) }
        await rebuildReserveDirectory()
        await resume(after: lsn)
        await committer.finish(ticket)
    }
}
