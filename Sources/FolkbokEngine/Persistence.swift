import CFolkbokSys
import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Foundation
import Synchronization

/// Where and how the register is kept on disk.
public struct PersistenceConfig: Sendable {
    public var directory: String
    /// The size a log segment grows to (a step at a time) before the next one begins.
    public var segmentBytes = 64 << 20
    /// Snapshots kept (older ones are deleted after a new one is written).
    public var keepSnapshots = 2
    /// Log segments kept beyond those the kept snapshots need (for point-in-time restore).
    public var keepSegments = 0
    /// `--recover=truncate-log`: drop the log from a corrupt record on instead of refusing to start.
    public var truncateCorruptLog = false
    public var fs: any FileSystem = RealFileSystem()

    public init(directory: String) { self.directory = directory }
}

/// What start-up found and did, for the operator.
public struct StartupReport: Sendable {
    /// True when the directory held no snapshot and no log: a first start.
    public var wasEmpty = true
    public var snapshot: SnapshotInfo?
    /// Newer snapshots that failed verification and were passed over (each with the reason).
    public var skippedSnapshots: [String] = []
    public var replayed = 0
    public var truncatedTail: String?
    public var lastLSN: UInt64 = 0
    public var seconds = 0.0
}

/// Why the server must not start; the text names the file, the offset and what to do.
public struct StartupError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The durable register: recovery at start-up (newest verifying snapshot, then the log after it),
/// the write-ahead log every commit goes through, and snapshots.
///
/// Guarantees: after `open`, the engine holds exactly the state of the last durable log record;
/// nothing from a corrupt or torn file is applied; a snapshot is written to a temporary file,
/// synced and renamed, and only then are older snapshots and the log segments no kept snapshot
/// needs removed.
public final class Persistence: Sendable {
    public let config: PersistenceConfig
    public let engine: Engine
    public let wal: WriteAheadLog
    let snapshotState: Locked<(lsn: UInt64, at: Double)>
    let snapshotLock = AsyncLock()
    let schedule = Locked<Task<Void, Never>?>(nil)
    /// When the engine was first seen read-only (for `keepWritable`'s reports).
    let outage = Locked<Double?>(nil)
    /// How long start-up recovery took (`StartupReport.seconds`), for the metrics.
    public let recoverySeconds: Double
    /// Snapshots written since start and the last one's duration (a `Double`'s bits); written
    /// under `snapshotLock`, one snapshot at a time.
    private let snapshotTimes = SingleWriterCells(count: 2)

    init(
        config: PersistenceConfig, engine: Engine, wal: WriteAheadLog, snapshotLSN: UInt64, recoverySeconds: Double = 0
    ) {
        self.config = config
        self.engine = engine
        self.wal = wal
        self.recoverySeconds = recoverySeconds
        snapshotState = Locked((snapshotLSN, Date().timeIntervalSince1970))
    }

    /// The LSN the newest snapshot covers (0 when there is none).
    public var snapshotLSN: UInt64 { snapshotState.withLock { $0.lsn } }

    /// Bytes of log records on disk.
    public var walBytes: Int { wal.totalBytes }

    /// Snapshots written since the server started.
    public var snapshotsWritten: UInt64 { snapshotTimes.load(0) }

    /// Seconds the last snapshot written since start took (0 before the first).
    public var lastSnapshotSeconds: Double { Double(bitPattern: snapshotTimes.load(1)) }

    /// Writes a snapshot of the register now, while the server keeps answering (commits wait
    /// only while the shards' stores are copied, which is copy-on-write). One at a time.
    public func snapshot() async throws -> SnapshotInfo {
        await snapshotLock.lock()
        defer { Task { await snapshotLock.unlock() } }
        return try await writeSnapshotHoldingLock()
    }

    /// `snapshot`'s work, with `snapshotLock` held by the caller.
    func writeSnapshotHoldingLock() async throws -> SnapshotInfo {
        let started = Date()
        let info = try await writeCut()
        // What the snapshot freed, back to the system: its cut of the stores may have been the
        // last owner of arrays a write copied meanwhile (an import's last batches, allocated
        // from the heap), which would otherwise stay resident.
        fb_release_free_memory()
        snapshotState.withLock { $0 = (info.lsn, Date().timeIntervalSince1970) }
        snapshotTimes.set(1, Date().timeIntervalSince(started).bitPattern)
        snapshotTimes.add(0)
        try pruneAfterSnapshot()
        return info
    }

    /// Writes a snapshot of the engine as it is now; the cut's stores are released on return.
    private func writeCut() async throws -> SnapshotInfo {
        let (lsn, stores) = await engine.snapshotCut()
        let config = self.config
        return try await onOwnThread { () throws -> SnapshotInfo in
            try Persistence.writeSnapshot(directory: config.directory, lsn: lsn, stores: stores, fs: config.fs)
        }
    }

    /// Deletes snapshots beyond `keepSnapshots` and the log segments the oldest kept one covers.
    func pruneAfterSnapshot() throws {
        _ = try SnapshotFile.prune(directory: config.directory, keep: config.keepSnapshots, fs: config.fs)
        let kept = try SnapshotFile.list(directory: config.directory, fs: config.fs)
        guard let oldest = kept.last, let lsn = Persistence.snapshotLSN(ofPath: oldest) else { return }
        _ = try wal.removeSegments(upTo: lsn, keep: config.keepSegments)
    }

    /// Takes snapshots in the background after `writes` log records or `seconds` since the last
    /// one; while the engine is read-only after a log failure, tries each second to make it
    /// writable again instead (`keepWritable`). `onError` is told about failures and resumptions.
    public func scheduleSnapshots(
        everyWrites writes: UInt64?, everySeconds seconds: Double?, onError: @escaping @Sendable (String) -> Void
    ) {
        // A strong capture: `close` cancels and awaits the task, which ends the cycle (a weak
        // reference's side table would also look like a leak to LeakSanitizer).
        let task = Task { [self] in
            // After a failed snapshot (a full disk), wait before the next try instead of failing each second.
            var notBefore = 0.0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 1_000_000_000)
                if Task.isCancelled { return }
                guard await self.keepWritable(report: onError) else { continue }
                let (lsn, at) = self.snapshotState.withLock { $0 }
                let pending = self.engine.lsn > lsn ? self.engine.lsn - lsn : 0
                let due =
                    (writes.map { pending >= $0 } ?? false)
                    || (seconds.map { pending > 0 && Date().timeIntervalSince1970 - at >= $0 } ?? false)
                guard due, self.engine.readOnlyReason == nil, Date().timeIntervalSince1970 >= notBefore else {
                    continue
                }
                do {
                    _ = try await self.snapshot()
                } catch {
                    notBefore = Date().timeIntervalSince1970 + 10
                    onError("scheduled snapshot failed (retried in 10 s; the log keeps every change): \(error)")
                }
            }
        }
        schedule.withLock { $0 = task }
    }

    /// Stops the schedule and waits for it to end (a snapshot under way finishes first), writes
    /// a final snapshot if anything changed since the last one, closes the log.
    public func close(finalSnapshot: Bool) async throws {
        let task = schedule.withLock { $0 }
        task?.cancel()
        await task?.value
        defer { wal.close() }
        if finalSnapshot && engine.lsn > snapshotLSN && engine.readOnlyReason == nil { _ = try await snapshot() }
    }
}

extension Persistence {
    /// The LSN in a snapshot file's name (`snapshot-<20 digits>.fbsnap`).
    static func snapshotLSN(ofPath path: String) -> UInt64? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard name.hasPrefix("snapshot-"), name.hasSuffix(".fbsnap") else { return nil }
        return UInt64(name.dropFirst("snapshot-".count).dropLast(".fbsnap".count))
    }
}

/// Runs blocking work (file writes, fsync) on a thread of its own, never on the concurrency pool.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try body() })
        }
    }
}

/// A first-come, first-served lock for async code.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        guard locked else {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }
}
