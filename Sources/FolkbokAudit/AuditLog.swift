import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Glibc

/// The access log: every disclosure as a hash-chained entry in a write-ahead log of daily
/// segments, with per-segment indexes for queries (AUDIT-FORMAT.md).
///
/// Guarantees:
/// - `enqueue` assigns consecutive seqs (= WAL LSNs) in call order and only appends the entries
///   to a queue under a short lock; the log's writer thread encodes and chains them in seq
///   order (`AuditPipeline`). `waitUntilDurable` returns only once the entries are fsynced.
///   Failures stick (every later `enqueue` and wait throws) until `resumeAfterFailure`
///   succeeds; the chain then continues from the last durable entry.
/// - Entries of a later UTC day than any queued before start a new segment. A segment that is
///   no longer the last is sealed (index file, then seal file) once durable, from what the
///   writer kept of its entries in memory (reading the segment back only when that is
///   incomplete, after a restart with damaged frames); sealing failures are retried and never
///   fail a durable append (see `sealFailure`).
/// - `query` returns only durable entries, in seq order. `verify` reads the files, not memory.
/// - `removeExpired` deletes only whole sealed segments whose every entry is older than the
///   retention, never the newest sealed one, so the chain stays anchored in a seal.
public final class AuditLog: AuditTrail, Sendable {
    /// Five years and a leap day: the least retention the law allows.
    public static let minimumRetentionDays = 5 * 365 + 1

    let directory: String
    let fs: any FileSystem
    let wal: WriteAheadLog
    let retentionDays: Int
    let clock: @Sendable () -> Int64
    let pipeline: AuditPipeline
    var state: Locked<AuditState> { pipeline.state }
    /// Serialises sealing and retention (file work done outside `state`'s lock).
    let fileWork = Locked(())

    init(
        directory: String, fs: any FileSystem, wal: WriteAheadLog, retentionDays: Int,
        clock: @escaping @Sendable () -> Int64, pipeline: AuditPipeline
    ) {
        self.directory = directory
        self.fs = fs
        self.wal = wal
        self.retentionDays = retentionDays
        self.clock = clock
        self.pipeline = pipeline
    }

    public func enqueue(_ entries: [AuditEntry]) throws -> AuditTicket {
        try queue(entries.count) { f in for e in entries { f.queue(e) } }
    }

    public func enqueue(_ entry: AuditEntry) throws -> AuditTicket {
        try queue(1) { $0.queue(entry) }
    }

    public func enqueueQuietly(_ entry: AuditEntry) throws -> AuditTicket {
        try queue(1, waking: false) { $0.queue(entry) }
    }

    public func flushQueued(onCaller: Bool) -> Bool {
        if onCaller && wal.commitOnCaller() { return true }
        let wake = pipeline.front.withLock { f in
            let wake = f.writerAsleep && !f.queued.isEmpty
            if wake { f.writerAsleep = false }
            return wake
        }
        if wake { wal.wake() }
        return false
    }

    /// Runs `append` (of `count` entries) on the front under its lock unless the log is closed
    /// or failed, or `count` more would pass the bound on waiting entries (`AuditError.overloaded`),
    /// then wakes the writer if it sleeps (unless `waking` is false: see `enqueueQuietly`);
    /// answers the ticket of the last entry queued.
    private func queue(_ count: Int, waking: Bool = true, _ append: (inout AuditFront) -> Void) throws
        -> AuditTicket
    {
        let (ticket, wake) = try pipeline.front.withLock { f throws -> (AuditTicket, Bool) in
            if f.closed { throw FileError(path: directory, operation: "append to closed access log", errno: EBADF) }
            if let failure = f.failure { throw failure }
            if f.queued.count + count > f.maxQueued { throw AuditError.overloaded }
            append(&f)
            let wake = waking && f.writerAsleep && !f.queued.isEmpty
            if wake { f.writerAsleep = false }
            return (AuditTicket(seq: f.nextSeq - 1, generation: f.generation), wake)
        }
        if wake { wal.wake() }
        return ticket
    }

    public func waitUntilDurable(_ ticket: AuditTicket) async throws {
        try await wal.waitUntilDurable(WALTicket(lsn: ticket.seq, generation: ticket.generation))
        sealFinishedSegments()
    }

    /// Straight from the log's writer thread, without a task (sealing is left to the
    /// once-a-second upkeep).
    public func whenDurable(_ ticket: AuditTicket, _ notify: @escaping @Sendable (Bool) -> Void) {
        wal.whenDurable(WALTicket(lsn: ticket.seq, generation: ticket.generation)) { result in
            if case .success = result { notify(true) } else { notify(false) }
        }
    }

    /// The last error sealing a finished segment hit (it is retried on the next durable
    /// wait); nil when every finished segment is sealed.
    public var sealFailure: FileError? { state.withLock { $0.sealFailure } }

    /// The highest seq known durable.
    public var durableSeq: UInt64 { wal.durableLSN }

    /// Stops the log (queued entries are written first); later calls throw.
    public func close() {
        pipeline.front.withLock { $0.closed = true }
        wal.close()
    }

    /// Makes `observer` see every batch from now on, in seq order, on the log's writer thread
    /// once the batch is durable, before the answers waiting for it are released (so it must be
    /// quick and must not call back into the log); replaces any earlier one. It never sees an
    /// entry a failed write lost. `onRollBack` is told, on the same thread, the last durable seq
    /// when the log resumes after a failure (the seqs after it are given out again).
    public func observe(
        _ observer: @escaping @Sendable ([AuditEntry]) -> Void,
        onRollBack: @escaping @Sendable (UInt64) -> Void = { _ in }
    ) {
        pipeline.front.withLock {
            $0.observer = observer
            $0.rollBackObserver = onRollBack
        }
    }

    public var metrics: AuditLogMetrics? {
        let queued = pipeline.front.withLock { $0.nextSeq } - 1
        let durable = wal.durableLSN
        return AuditLogMetrics(waiting: queued > durable ? queued - durable : 0, wal: wal.metrics)
    }

    /// The seq the next appended entry gets.
    public var nextSeq: UInt64 { pipeline.front.withLock { $0.nextSeq } }

    /// Bounds the entries that may wait to be written (default `AuditFront.defaultMaxQueued`):
    /// past it `enqueue` throws `AuditError.overloaded` instead of taking memory.
    public func limitQueue(to entries: Int) { pipeline.front.withLock { $0.maxQueued = max(1, entries) } }

    /// Seals every finished, durable segment not sealed yet; records a failure instead of
    /// throwing. Skips the work when another caller is already doing it. Sealing moves a
    /// segment's entries out of memory, so call this regularly when nobody waits for
    /// durability (batched mode), or memory grows with every entry until the next start.
    public func sealFinishedSegments() {
        _ = fileWork.withLockIfAvailable { _ in
            do throws(FileError) { try sealPending() } catch { state.withLock { $0.sealFailure = error } }
        }
    }

    /// Seals, oldest first, each segment of the WAL that has a successor and is durable.
    /// Call with `fileWork` held.
    func sealPending() throws(FileError) {
        let segments = wal.segments
        let durable = wal.durableLSN
        var (lastSealed, prevHash) = state.withLock { s in
            (s.sealed.last?.seal.lastSeq ?? 0, s.sealed.last?.seal.lastHash ?? AuditCodec.genesis)
        }
        guard segments.count >= 2 else { return }
        for i in 0..<(segments.count - 1) where segments[i].firstLSN > lastSealed {
            let last = segments[i + 1].firstLSN - 1
            guard last <= durable else { break }
            let first = segments[i].firstLSN
            let remembered = state.withLock { s in s.open.first { $0.firstSeq == first } }?.facts(lastSeq: last)
            let sealed = try AuditSealer.seal(
                segment: segments[i].path, firstSeq: first, lastSeq: last, prevHash: prevHash,
                directory: directory, fs: fs, facts: remembered)
            state.withLock { s in
                s.adopt(sealed)
                s.sealFailure = nil
            }
            (lastSealed, prevHash) = (last, sealed.seal.lastHash)
        }
    }
}
