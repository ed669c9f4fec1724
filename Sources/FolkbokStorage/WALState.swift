import Dispatch
import FolkbokSync
import Glibc
import Synchronization

/// Told once whether the records up to its LSN became durable (on the writer thread, or on
/// the caller's when already decided), so it must be quick.
public typealias WALWaiter = @Sendable (Result<Void, FileError>) -> Void

/// One segment as the log tracks it: where it starts and how many record bytes it holds.
struct SegmentSummary: Sendable {
    var firstLSN: UInt64
    var path: String
    var recordBytes: Int
}

/// The state shared between appenders and the writer thread, always under `WALCore.state`'s lock.
struct WALState: ~Copyable {
    var pending: [(lsn: UInt64, payload: [UInt8])] = []
    /// LSNs that must begin a new segment, not yet handed to the writer.
    var rotations: [UInt64] = []
    /// The LSN the next enqueued entry must have.
    var nextLSN: UInt64
    /// Every LSN up to this one is durable.
    var durableLSN: UInt64
    var waiters: [(lsn: UInt64, notify: WALWaiter)] = []
    var failure: FileError?
    /// Counts resumptions after failures: entries queued in an earlier generation whose LSN is
    /// above that generation's last durable LSN were lost, whatever LSN is durable now.
    var generation: UInt64 = 0
    /// Each ended generation's last durable LSN and the failure that ended it.
    var ended: [UInt64: (durableLSN: UInt64, failure: FileError)] = [:]
    /// A `resume` call waiting for the writer thread.
    var resumeRequest: ResumeRequest?
    /// A `restart(after:)` call waiting for the writer thread: the LSN the log jumps to.
    var restartRequest: (lsn: UInt64, request: ResumeRequest)?
    var closing = false
    var closed = false
    var writerIdle = false
    var segments: [SegmentSummary]
    var totalBytes: Int
}

/// A `resume` call handed to the writer thread; `done` is signalled once `result` is set.
final class ResumeRequest: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    /// How many callers wait on `done` (changed only under the state lock, before the writer takes it).
    var waiters = 1
    var result: Result<UInt64, FileError>?
}

/// The segment writer and the batch being formed: whoever holds `WALCore.desk` runs a group
/// commit with them (the writer thread, or a caller through `commitOnCaller`).
struct WriterDesk: ~Copyable {
    let writer: SegmentWriter
    var staged: [(lsn: UInt64, payload: [UInt8])] = []
    var stagedRotations: [UInt64] = []
}

/// The lock-protected state plus the semaphores the writer thread sleeps and finishes on.
///
/// Guarantees: segments are written only by whoever holds `desk`, one group commit at a time:
/// the writer thread, or a caller of `commitOnCaller` while that thread sleeps with nothing
/// else asked of it. Every waiter is resumed exactly once, with success only once its LSN is
/// durable.
final class WALCore: Sendable {
    let state: Locked<WALState>
    let desk: Locked<WriterDesk>
    let wake = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let directory: String
    let fs: any FileSystem
    /// The writer's pause after each write (see `WriteAheadLog.open`).
    let gatherSeconds: Double

    /// Where the records come from when not from `WriteAheadLog.queue` (see `WALStage`).
    let stage: (any WALStage)?
    /// Group-commit sizes and sync times, recorded by whoever holds `desk`.
    let metrics = WALMetrics()
    /// How long the last group commit's write and sync took, in nanoseconds.
    private let lastCommitNanos = Atomic<UInt64>(0)
    /// A caller commits only while the last commit took at most this long: a slow or stalled
    /// disk is waited for on the writer thread, not on an event loop.
    static let callerCommitLimitNanos: UInt64 = 1_000_000

    /// What one turn at the desk did.
    enum Turn {
        /// Wrote a batch (or failed to).
        case wrote
        /// Handled a resume, a restart or a failed log's leftovers; look again at once.
        case handled
        /// Found nothing to do (the writer may sleep).
        case idle
        /// The log is closing and everything queued is written.
        case stop
    }

    init(
        state: consuming WALState, writer: SegmentWriter, directory: String, fs: any FileSystem,
        gatherSeconds: Double = 0, stage: (any WALStage)? = nil
    ) {
        self.state = Locked(state)
        self.desk = Locked(WriterDesk(writer: writer))
        self.directory = directory
        self.fs = fs
        self.gatherSeconds = gatherSeconds
        self.stage = stage
        writer.onRotate = { [state = self.state] lsn, path in
            state.withLock { $0.segments.append(SegmentSummary(firstLSN: lsn, path: path, recordBytes: 0)) }
        }
    }

    /// The writer thread's loop: take everything queued, write it, sync once, resume waiters.
    func run() {
        while true {
            switch desk.withLock({ turn(&$0) }) {
            case .wrote: if gatherSeconds > 0 { usleep(UInt32(gatherSeconds * 1_000_000)) }
            case .handled: continue
            case .idle: wake.wait()
            case .stop:
                desk.withLock { $0.writer.close() }
                finished.signal()
                return
            }
        }
    }

    /// One group commit of the stage's records on the calling thread, when the writer thread
    /// sleeps with nothing else asked of it (no failure, resume, restart or close pending) and
    /// the last commit took at most `callerCommitLimitNanos`: the records are written and
    /// synced and their waiters told before it returns. Answers false, doing nothing, when the
    /// writer thread is at work, the disk was slow, or the log has no stage.
    func commitOnCaller() -> Bool {
        guard stage != nil, lastCommitNanos.load(ordering: .relaxed) <= Self.callerCommitLimitNanos else {
            return false
        }
        let wrote = desk.withLockIfAvailable { desk -> Bool in
            let quiet = state.withLock { s in
                s.writerIdle && s.failure == nil && s.resumeRequest == nil && s.restartRequest == nil && !s.closing
                    && s.pending.isEmpty
            }
            guard quiet else { return false }
            return turn(&desk) == .wrote
        }
        return wrote ?? false
    }

    /// One turn at the desk: a restart or resume asked for, else everything queued written
    /// and synced once, its waiters resumed.
    private func turn(_ desk: inout WriterDesk) -> Turn {
        let writer = desk.writer
        desk.staged.removeAll(keepingCapacity: true)
        desk.stagedRotations.removeAll(keepingCapacity: true)
        if let restart = state.withLock({ s -> (lsn: UInt64, request: ResumeRequest)? in
            guard let restart = s.restartRequest, s.pending.isEmpty else { return nil }
            s.restartRequest = nil
            return restart
        }) {
            restartAfter(restart.lsn, writer, restart.request)
            return .handled
        }
        if let stage, let next = state.withLock({ s in s.failure == nil && s.resumeRequest == nil ? s.nextLSN : nil }) {
            stage.drain(nextLSN: next, into: &desk.staged, rotations: &desk.stagedRotations)
        }
        let (batch, failed, stop, resume) = state.withLock {
            [staged = desk.staged, stagedRotations = desk.stagedRotations]
            s -> ([(lsn: UInt64, payload: [UInt8])], Bool, Bool, (ResumeRequest, UInt64, Int)?) in
            if let request = s.resumeRequest {
                s.resumeRequest = nil
                s.pending = []
                s.rotations = []
                return ([], true, false, (request, s.durableLSN, request.waiters))
            }
            if !staged.isEmpty {
                precondition(staged[0].lsn == s.nextLSN, "staged log entries must continue the LSNs")
                s.nextLSN = staged[staged.count - 1].lsn + 1
                writer.rotateAt.formUnion(stagedRotations)
                return (staged, s.failure != nil, false, nil)
            }
            if s.pending.isEmpty {
                if s.closing { return ([], false, true, nil) }
                s.writerIdle = true
                return ([], false, false, nil)
            }
            let taken = s.pending
            s.pending = []
            writer.rotateAt.formUnion(s.rotations)
            s.rotations = []
            return (taken, s.failure != nil, false, nil)
        }
        if let resume {
            let (request, durable, waiters) = resume
            request.result = resumeAfterFailure(writer, durable: durable)
            if case .success = request.result, let stage {
                stage.resumed(durableLSN: durable, generation: state.withLock { $0.generation })
            }
            for _ in 0..<waiters { request.done.signal() }
            return .handled
        }
        if stop { return .stop }
        if batch.isEmpty { return .idle }
        if failed { return .handled }
        let writeStarted = WALMetrics.now()
        let result = Result { () throws(FileError) -> Int in try writer.write(batch) }
        let seconds = WALMetrics.now() - writeStarted
        lastCommitNanos.store(UInt64(max(0, seconds) * 1e9), ordering: .relaxed)
        if case .success = result { metrics.recordCommit(records: batch.count, seconds: seconds) }
        let ready = state.withLock { s -> [WALWaiter] in
            switch result {
            case .success(let bytes):
                s.durableLSN = batch[batch.count - 1].lsn
                s.totalBytes += bytes
                Self.credit(batch, to: &s.segments)
                let durable = s.durableLSN
                let done = s.waiters.filter { $0.lsn <= durable }.map(\.notify)
                s.waiters.removeAll { $0.lsn <= durable }
                return done
            case .failure(let error):
                s.failure = error
                let deleted = writer.deletedByRollBack
                s.segments.removeAll { deleted.contains($0.path) }
                let all = s.waiters.map(\.notify)
                s.waiters = []
                return all
            }
        }
        if let stage, !desk.staged.isEmpty {
            switch result {
            case .success: stage.landed(batch, offsets: writer.offsets)
            case .failure(let error): stage.failed(error, durableLSN: state.withLock { $0.durableLSN })
            }
        }
        let outcome = result.map { _ in () }
        for notify in ready { notify(outcome) }
        return .wrote
    }

    /// Starts a new segment for `lsn + 1` and declares every LSN up to `lsn` durable (a replica
    /// installed a snapshot at `lsn`). Runs on the writer thread, with nothing queued.
    private func restartAfter(_ lsn: UInt64, _ writer: SegmentWriter, _ request: ResumeRequest) {
        let started = Result { () throws(FileError) in try writer.startSegment(firstLSN: lsn + 1) }
        let ready = state.withLock { s -> [WALWaiter] in
            switch started {
            case .success:
                s.nextLSN = lsn + 1
                s.durableLSN = lsn
                s.rotations = []
                let done = s.waiters.filter { $0.lsn <= lsn }.map(\.notify)
                s.waiters.removeAll { $0.lsn <= lsn }
                return done
            case .failure(let error):
                s.failure = error
                let all = s.waiters.map(\.notify)
                s.waiters = []
                return all
            }
        }
        for notify in ready { notify(started) }
        request.result = started.map { lsn }
        request.done.signal()
    }

    /// Repairs what the failed write left and, if that works, starts a new generation that
    /// continues after the last durable LSN. Runs on the writer thread.
    private func resumeAfterFailure(_ writer: SegmentWriter, durable: UInt64) -> Result<UInt64, FileError> {
        let repaired = Result { () throws(FileError) in try writer.repair(nextLSN: durable + 1) }
        return state.withLock { s in
            switch repaired {
            case .success:
                if let failure = s.failure { s.ended[s.generation] = (durable, failure) }
                s.generation += 1
                s.failure = nil
                s.nextLSN = durable + 1
                return .success(durable)
            case .failure(let error):
                return .failure(error)
            }
        }
    }

    /// Adds a batch's frame bytes to the segments they landed in (by first LSN).
    private static func credit(_ batch: [(lsn: UInt64, payload: [UInt8])], to segments: inout [SegmentSummary]) {
        var index = segments.count - 1
        for entry in batch.reversed() {
            while index > 0 && segments[index].firstLSN > entry.lsn { index -= 1 }
            segments[index].recordBytes += WALFormat.frameHeaderSize + entry.payload.count
        }
    }
}
