import Dispatch
import FolkbokIndex
import FolkbokStorage
import Foundation

/// Catch-up from a snapshot on a running replica: the primary's snapshot replaces the
/// register when the replica is far behind (`ReplicaFollower`).
extension Persistence {
    /// A primary about to send its snapshot to a replica far behind: answers the newest
    /// snapshot's LSN once a snapshot reaches `lsn`, writing one now unless one written
    /// meanwhile (a scheduled one finishing while this waited its turn) already does.
    public func snapshot(reaching lsn: UInt64) async throws -> UInt64 {
        await snapshotLock.lock()
        defer { Task { await snapshotLock.unlock() } }
        if snapshotLSN >= lsn { return snapshotLSN }
        return try await writeSnapshotHoldingLock().lsn
    }

    /// Loads the snapshot at `path` (complete, synced and renamed into the data directory)
    /// into stores ready to install, their search indexes built (one store per core at a time).
    /// Blocks the calling thread; touches neither the engine nor the log.
    public func loadReplicatedSnapshot(path: String) throws -> (SnapshotInfo, [PersonStore]) {
        var (info, stores) = try Persistence.loadSnapshot(path: path, fs: config.fs, shardCount: engine.shards.count)
        stores.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let each = buffer
            DispatchQueue.concurrentPerform(iterations: each.count) { each[$0].trimAndRebuildSearchIndex() }
        }
        return (info, stores)
    }

    /// Makes the loaded snapshot the register: the log goes on after its LSN (a new segment),
    /// the engine's shards take the stores, and the older snapshots and every log segment the
    /// snapshot covers are deleted (they hold a shorter prefix of the same history).
    ///
    /// Crash-safe at every step: recovery takes the newest snapshot (this one) and the log
    /// after it; older segments before the jump are skipped as covered by it.
    /// - Precondition: nothing is queued in the log that is not durable.
    public func installReplicatedSnapshot(_ info: SnapshotInfo, stores: [PersonStore]) async throws {
        await snapshotLock.lock()
        do {
            let wal = self.wal
            try await onOwnThread { try wal.restart(after: info.lsn) }
            await engine.installReplicated(stores, lsn: info.lsn)
            snapshotState.withLock { $0 = (info.lsn, Date().timeIntervalSince1970) }
            let config = self.config
            try await onOwnThread {
                _ = try SnapshotFile.prune(directory: config.directory, keep: 1, fs: config.fs)
                _ = try wal.removeSegments(upTo: info.lsn, keep: 0)
            }
        } catch {
            await snapshotLock.unlock()
            throw error
        }
        await snapshotLock.unlock()
    }
}
