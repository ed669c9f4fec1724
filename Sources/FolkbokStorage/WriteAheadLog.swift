import Foundation
import Glibc

/// The write-ahead log: numbered records appended to segment files (allocated a step at a
/// time), made durable with group commit.
///
/// Guarantees:
/// - `append` (and `waitUntilDurable`) return only after the records are `fdatasync`ed;
///   concurrent appenders share one sync. All file I/O runs on one dedicated writer thread,
///   never on the Swift concurrency pool, except a group commit a caller runs itself through
///   `commitOnCaller` while that thread sleeps (an event loop in strict mode).
/// - LSNs are contiguous: each entry's LSN is the previous one plus 1, starting at the
///   `nextLSN` given to `open` (a precondition; recovery treats gaps as corruption).
/// - Failures stick: after a write or sync error every later append throws that error, until
///   `resume` repairs the log (zeroing what failed and checking the disk takes writes again);
///   then appends continue after the last durable LSN, in a new generation. What the failed
///   batch wrote is zeroed where the disk still allows, so recovery never shows a record whose
///   append threw. A `WALTicket` of an ended generation never reports durable an LSN that
///   generation lost, even once the same LSN is reused and durable.
public final class WriteAheadLog: Sendable {
    let core: WALCore

    init(core: WALCore) {
        self.core = core
        let thread = Thread { [core] in core.run() }
        thread.name = "folkbok-wal-writer"
        thread.start()
    }

    deinit { close() }

    /// Queues entries for writing without waiting; returns the LSN to wait for.
    ///
    /// Call this under the lock that hands out LSNs, then `waitUntilDurable` outside it.
    /// - Precondition: the first LSN is the one after the last enqueued; the rest follow by 1.
    public func enqueue(_ entries: [(lsn: UInt64, payload: [UInt8])]) throws(FileError) -> UInt64 {
        try enqueue(entries, startingSegmentsAt: [])
    }

    /// As `enqueue(_:)`, and each entry whose LSN is in `startingSegmentsAt` begins a new
    /// segment (unless the current segment holds no record yet).
    public func enqueue(
        _ entries: [(lsn: UInt64, payload: [UInt8])], startingSegmentsAt rotations: [UInt64]
    ) throws(FileError) -> UInt64 {
        try queue(entries, startingSegmentsAt: rotations).lsn
    }

    /// As `enqueue`, answering a ticket that stays valid across `resume` (wait with
    /// `waitUntilDurable(_: WALTicket)`).
    public func queue(
        _ entries: [(lsn: UInt64, payload: [UInt8])], startingSegmentsAt rotations: [UInt64] = []
    ) throws(FileError) -> WALTicket {
        precondition(core.stage == nil, "a log with a stage takes its records from the stage")
        let (ticket, wake) = try core.state.withLock { (s) throws(FileError) -> (WALTicket, Bool) in
            if s.closed || s.closing {
                throw FileError(path: core.directory, operation: "append to closed log", errno: EBADF)
            }
            if let failure = s.failure { throw failure }
            guard !entries.isEmpty else { return (WALTicket(lsn: s.nextLSN - 1, generation: s.generation), false) }
            for entry in entries {
                precondition(entry.lsn == s.nextLSN, "log entries must have contiguous LSNs")
                precondition(entry.payload.count <= Int(UInt32.max) - 8, "log payload too large")
                s.nextLSN += 1
            }
            s.pending.append(contentsOf: entries)
            s.rotations.append(contentsOf: rotations)
            let wake = s.writerIdle
            s.writerIdle = false
            return (WALTicket(lsn: s.nextLSN - 1, generation: s.generation), wake)
        }
        if wake { core.wake.signal() }
        return ticket
    }

    /// Returns once every record up to `lsn` is durable; throws the log's failure otherwise.
    /// The LSN is taken in the current generation: after a `resume`, wait with the ticket of
    /// `queue` instead if the records may have been queued before it.
    public func waitUntilDurable(_ lsn: UInt64) async throws(FileError) {
        try await waitUntilDurable(WALTicket(lsn: lsn, generation: nil))
    }

    /// Returns once every record up to the ticket's LSN is durable; throws the failure that
    /// lost them otherwise (also when they were lost in a generation that has ended).
    public func waitUntilDurable(_ ticket: WALTicket) async throws(FileError) {
        let result: Result<Void, FileError> = await withCheckedContinuation { continuation in
            whenDurable(ticket) { continuation.resume(returning: $0) }
        }
        try result.get()
    }

    /// Calls `notify` once, with success when every record up to the ticket's LSN is durable
    /// and with the failure that lost them otherwise: at once when that is already known, else
    /// on the writer thread right after the sync or failure that decides it.
    public func whenDurable(_ ticket: WALTicket, _ notify: @escaping WALWaiter) {
        let lsn = ticket.lsn
        let now = core.state.withLock { s -> Result<Void, FileError>? in
            if let generation = ticket.generation, generation != s.generation, let ended = s.ended[generation] {
                return lsn <= ended.durableLSN ? .success(()) : .failure(ended.failure)
            }
            if s.durableLSN >= lsn { return .success(()) }
            if let failure = s.failure { return .failure(failure) }
            s.waiters.append((lsn, notify))
            return nil
        }
        if let now { notify(now) }
    }

    /// Appends the entries and returns when they are durable.
    /// - Precondition: as for `enqueue`; concurrent callers must enqueue in LSN order.
    public func append(_ entries: [(lsn: UInt64, payload: [UInt8])]) async throws(FileError) {
        let ticket = try enqueue(entries)
        try await waitUntilDurable(ticket)
    }

    /// After a failure: repairs what the failed write left (deletes segments it created, zeroes
    /// and syncs what it wrote, reads that back) and checks the disk takes writes again (it
    /// allocates room for the next records), then clears the failure. Appends continue at the
    /// returned LSN + 1 (the last durable one + 1) in a new generation; queued entries that were
    /// not durable are dropped (their waiters got the failure). Without a failure it only
    /// answers the last durable LSN. Throws (leaving the log failed) when the repair fails; it
    /// can be called again. Blocks until the writer thread has done it.
    public func resume() throws(FileError) -> UInt64 {
        let (request, wake) = try core.state.withLock { (s) throws(FileError) -> (ResumeRequest?, Bool) in
            if s.closed || s.closing {
                throw FileError(path: core.directory, operation: "resume a closed log", errno: EBADF)
            }
            guard s.failure != nil else { return (nil, false) }
            if let waiting = s.resumeRequest {
                waiting.waiters += 1
                return (waiting, false)
            }
            let request = ResumeRequest()
            s.resumeRequest = request
            let wake = s.writerIdle
            s.writerIdle = false
            return (request, wake)
        }
        guard let request else { return durableLSN }
        if wake { core.wake.signal() }
        request.done.wait()
        return try request.result!.get()
    }

    /// A replica that installed its primary's snapshot at `lsn` (above every LSN this log
    /// holds): the log goes on at `lsn + 1` in a new segment, and every LSN up to `lsn` counts
    /// as durable (the snapshot holds them). Older segments stay until `removeSegments`.
    /// Throws the log's failure, or the error creating the segment (which then fails the log).
    /// Blocks until the writer thread has done it.
    /// Throws `EBUSY` (changing nothing) when records are queued that are not durable yet or
    /// `lsn` is below the last LSN queued.
    public func restart(after lsn: UInt64) throws(FileError) {
        precondition(core.stage == nil, "a log with a stage takes its records from the stage")
        let request = try core.state.withLock { (s) throws(FileError) -> ResumeRequest in
            if s.closed || s.closing {
                throw FileError(path: core.directory, operation: "restart a closed log", errno: EBADF)
            }
            if let failure = s.failure { throw failure }
            guard s.pending.isEmpty, s.durableLSN == s.nextLSN - 1, s.restartRequest == nil, lsn >= s.nextLSN - 1 else {
                throw FileError(
                    path: core.directory, operation: "restart the log after LSN \(lsn) (records in flight or ahead)",
                    errno: EBUSY)
            }
            let request = ResumeRequest()
            s.restartRequest = (lsn, request)
            s.writerIdle = false
            return request
        }
        // Always: the writer may have looked for a request just before this one and be about
        // to sleep (an extra wake-up only costs it one more look).
        core.wake.signal()
        request.done.wait()
        _ = try request.result!.get()
    }

    /// How many times the log resumed after a failure.
    public var generation: UInt64 { core.state.withLock { $0.generation } }

    /// The error that stopped the log, if any.
    public var failure: FileError? { core.state.withLock { $0.failure } }

    /// The highest LSN known durable.
    public var durableLSN: UInt64 { core.state.withLock { $0.durableLSN } }

    /// Group-commit sizes and sync times (written by the writer thread, read by anyone).
    public var metrics: WALMetrics { core.metrics }

    /// Bytes of record frames in all segments.
    public var totalBytes: Int { core.state.withLock { $0.totalBytes } }

    /// The segment files, oldest first.
    public var segmentPaths: [String] { core.state.withLock { $0.segments.map(\.path) } }

    /// The segment files with the LSN of their first record, oldest first.
    public var segments: [(firstLSN: UInt64, path: String)] {
        core.state.withLock { $0.segments.map { ($0.firstLSN, $0.path) } }
    }

    /// Deletes whole segments whose every record has LSN ≤ `lsn`, except the newest `keep` of
    /// them; never the segment being written. Returns the deleted paths.
    /// - Complexity: O(segments).
    @discardableResult
    public func removeSegments(upTo lsn: UInt64, keep: Int) throws(FileError) -> [String] {
        let victims = core.state.withLock { s -> [SegmentSummary] in
            var removable = 0
            while removable + 1 < s.segments.count, s.segments[removable + 1].firstLSN - 1 <= lsn { removable += 1 }
            let count = max(0, removable - max(0, keep))
            let gone = Array(s.segments[0..<count])
            s.segments.removeFirst(count)
            s.totalBytes -= gone.reduce(0) { $0 + $1.recordBytes }
            return gone
        }
        guard !victims.isEmpty else { return [] }
        for victim in victims { try core.fs.unlink(victim.path) }
        try core.fs.syncDirectory(core.directory)
        return victims.map(\.path)
    }

    /// Writes and syncs what is queued, stops the writer thread and closes the segment.
    /// Later appends throw. Idempotent; blocks until the writer has finished.
    public func close() {
        let wait = core.state.withLock { s -> Bool in
            if s.closing { return false }
            s.closing = true
            return true
        }
        guard wait else { return }
        core.wake.signal()
        core.finished.wait()
        let waiters = core.state.withLock { s in
            s.closed = true
            let all = s.waiters.map(\.notify)
            s.waiters = []
            return all
        }
        let closed = FileError(path: core.directory, operation: "append to closed log", errno: EBADF)
        for notify in waiters { notify(.failure(closed)) }
    }
}

/// What `WriteAheadLog.queue` answers: the last LSN queued and the log generation it was
/// queued in, so a wait can tell records lost before a `resume` from later ones.
public struct WALTicket: Sendable, Equatable {
    public let lsn: UInt64
    /// nil: whatever generation is current when waiting.
    public let generation: UInt64?

    public init(lsn: UInt64, generation: UInt64?) {
        self.lsn = lsn
        self.generation = generation
    }
}
