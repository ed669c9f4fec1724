/// Taking writes again after the log failed (a full disk, an I/O error).
extension Engine {
    /// If the engine is read-only because the log failed, tries to make it writable: waits
    /// until every commit that took LSNs before has settled (applied, or failed and thrown),
    /// asks the log to resume (it repairs what the failed write left and checks the disk takes
    /// writes), restarts LSNs after the last durable one, rebuilds the reserve directory from
    /// the shards (dropping identities of commits that failed) and clears `readOnlyReason`.
    /// Answers true when the engine is writable afterwards.
    ///
    /// Invariant: no commit takes LSNs while the engine is read-only (`prepare` checks inside
    /// the committer), so when this commit-turn comes every LSN above the last durable one
    /// belongs to a commit that failed and was never applied; numbering restarts right after
    /// the last durable LSN, and the log's generations make stale waits fail.
    public func resumeWrites() async -> Bool {
        guard readOnlyReason != nil else { return true }
        guard let log else { return false }
        let (ticket, _, _) = await committer.reserve(0) { _ in () }!
        await committer.waitTurn(ticket)
        var resumed = false
        if let lastDurable = try? await log.resume() {
            await committer.resume(after: lastDurable)
            await rebuildReserveDirectory()
            clearFailure()
            resumed = true
        }
        await committer.finish(ticket)
        return resumed
    }
}
