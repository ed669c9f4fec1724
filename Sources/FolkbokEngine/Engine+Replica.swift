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
