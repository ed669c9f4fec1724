import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation

extension Persistence {
    /// Recovers the register from `config.directory` and opens the log for new commits.
    /// The search index of what a snapshot held is left to build (`Engine.trimAndRebuildSearchIndex`,
    /// which the server starts once it serves, or each shard's first search).
    ///
    /// Loads the newest snapshot that reads back whole (format version 1 or 2; falling back to
    /// older ones, each fallback reported), replays the log after it, and only then installs the result into
    /// the engine's shards, so a failure leaves nothing half-loaded. Refuses to start (throws)
    /// when every snapshot is corrupt, when the log is corrupt other than a torn tail (unless
    /// `truncateCorruptLog`), or when the log does not reach back to the snapshot.
    public static func open(
        _ config: PersistenceConfig, shardCount: Int, progress: @Sendable (String) -> Void
    ) async throws(StartupError) -> (Persistence, StartupReport) {
        let started = Date()
        var report = StartupReport()
        let fs = config.fs
        do { try fs.makeDirectory(config.directory) } catch {
            throw StartupError(description: "cannot create the data directory \(config.directory): \(error)")
        }
        let engine = Engine(shardCount: shardCount)
        var stores = [PersonStore](repeating: PersonStore(), count: shardCount)

        let snapshots: [String]
        do { snapshots = try SnapshotFile.list(directory: config.directory, fs: fs) } catch {
            throw StartupError(description: "cannot list \(config.directory): \(error)")
        }
        var baseLSN: UInt64 = 0
        for path in snapshots {
            progress("loading snapshot \(path)")
            do {
                let (info, loaded) = try loadSnapshot(path: path, fs: fs, shardCount: shardCount)
                stores = loaded
                baseLSN = info.lsn
                report.snapshot = info
                break
            } catch {
                report.skippedSnapshots.append("\(error)")
                progress("snapshot \(path) is not usable: \(error)")
            }
        }
        if !snapshots.isEmpty && report.snapshot == nil {
            throw StartupError(
                description: """
                    no snapshot in \(config.directory) reads back whole: \(report.skippedSnapshots.joined(separator: "; ")). \
                    Restore a good snapshot with `folkbok restore --from FILE --data \(config.directory)`, or move the \
                    damaged snapshots away to start from the log alone (only if the log reaches back to LSN 1).
                    """)
        }
        report.wasEmpty = snapshots.isEmpty

        var lastLSN = baseLSN
        var gap: (expected: UInt64, found: UInt64)?
        let recovery: RecoveryReport
        do {
            recovery = try WriteAheadLog.recover(
                directory: config.directory, fs: fs, after: baseLSN, truncateCorruptTail: config.truncateCorruptLog
            ) { lsn, payload in
                if lsn != lastLSN + 1 && gap == nil { gap = (lastLSN + 1, lsn) }
                let mutation = try RecordCodec.decode(payload)
                switch mutation {
                case .upsert(let key, let record): stores[engine.shardIndex(key)].upsert(record, key: key)
                case .remove(let key): stores[engine.shardIndex(key)].remove(key)
                }
                lastLSN = lsn
            }
        } catch {
            throw StartupError(description: "\(error)")
        }
        if let gap {
            throw StartupError(
                description: """
                    the log in \(config.directory) does not continue the snapshot: it should go on at LSN \(gap.expected) \
                    but has \(gap.found). Restore the missing log segments, or restore from a backup with `folkbok restore`.
                    """)
        }
        report.replayed = recovery.applied
        if recovery.segments > 0 { report.wasEmpty = false }
        if let tail = recovery.truncatedTail {
            report.truncatedTail = "cut a torn record off the end of \(tail.file) at byte \(tail.offset)"
            progress(report.truncatedTail!)
        }
        if recovery.droppedBytes > 0 {
            progress("dropped \(recovery.droppedBytes) bytes of a corrupt log (--recover=truncate-log)")
        }

        for (shard, store) in zip(engine.shards, stores) { await shard.install(store) }
        await engine.rebuildReserveDirectory()
        await engine.resume(after: lastLSN)
        report.lastLSN = lastLSN

        let wal: WriteAheadLog
        do {
            wal = try WriteAheadLog.open(
                directory: config.directory, fs: fs, nextLSN: lastLSN + 1, segmentBytes: config.segmentBytes)
        } catch {
            throw StartupError(description: "cannot open the write-ahead log in \(config.directory): \(error)")
        }
        engine.attach(log: WALCommitLog(wal: wal))
        report.seconds = Date().timeIntervalSince(started)
        return (
            Persistence(
                config: config, engine: engine, wal: wal, snapshotLSN: baseLSN, recoverySeconds: report.seconds), report
        )
    }
}
