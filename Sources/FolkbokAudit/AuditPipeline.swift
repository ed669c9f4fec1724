import FolkbokModel
import FolkbokStorage
import FolkbokSync

/// What request threads share with the access log's writer: the entries queued since its last
/// batch, and the numbering. Always under `AuditPipeline.front`'s lock, held only to append.
struct AuditFront: Sendable {
    /// The seq the next queued entry gets.
    var nextSeq: UInt64
    /// The latest UTC day queued so far; an entry of a later day begins a new segment.
    var latestDay: Int64?
    var queued: [AuditEntry] = []
    /// Seqs that must begin a new segment (the first entry of each new day).
    var rotations: [UInt64] = []
    /// The log generation entries are queued in (see `WALTicket`).
    var generation: UInt64 = 0
    /// Set when a write failed, until the log is resumed: queueing throws it.
    var failure: FileError?
    var closed = false
    /// The writer found nothing to take and sleeps until woken.
    var writerAsleep = false
    /// Entries that may wait to be written at most (a stalled disk turns into refusals, not memory).
    var maxQueued = AuditFront.defaultMaxQueued
    /// About 50 MB of waiting entries; a healthy disk keeps the queue to one group commit.
    static let defaultMaxQueued = 1 << 18
    var observer: (@Sendable ([AuditEntry]) -> Void)?
    var rollBackObserver: (@Sendable (UInt64) -> Void)?

    /// Numbers `entry` and queues it; an entry of a later UTC day than any before begins a new
    /// segment.
    mutating func queue(_ entry: AuditEntry) {
        // Appended first and numbered in place: one copy of the entry's strings, not two.
        queued.append(entry)
        let seq = nextSeq
        queued[queued.count - 1].seq = seq
        nextSeq += 1
        let day = AuditDay.of(entry.time)
        if let latest = latestDay, day > latest { rotations.append(seq) }
        latestDay = max(latestDay ?? day, day)
    }
}

/// The access log's stage in front of its write-ahead log (`WALStage`): request threads only
/// append entries to `front`; the log's writer thread takes them in batches, encodes them and
/// extends the hash chain, and once they are durable records where each landed (for queries
/// and for sealing from memory) and shows them to the observer (usage statistics) in seq order.
///
/// Guarantees: entries are encoded and chained in seq order; the chain continues from the
/// stored hash of the last durable entry after a failure; the observer sees exactly the entries
/// that became durable, each once, in seq order, before anyone waiting for them is told (so a
/// count never includes an entry a failed write lost).
/// `head`, `batch` and `spares` are touched only by whoever runs the log's group commit (its
/// writer thread, or an event loop through `commitOnCaller`), one at a time under the log's
/// desk lock (hence `@unchecked Sendable`).
final class AuditPipeline: WALStage, @unchecked Sendable {
    let front: Locked<AuditFront>
    let state: Locked<AuditState>
    /// The stored hash of the last entry encoded (32 bytes, rewritten in place).
    private var head: [UInt8]
    /// The entries of the batch being written, and who is shown them once they are durable.
    private var batch: [AuditEntry] = []
    private var batchObserver: (@Sendable ([AuditEntry]) -> Void)?
    /// Payload buffers of written batches, reused once the log has let go of them, so a
    /// steady stream of entries allocates none.
    private var spares: [[UInt8]] = []
    /// Recent callers' encoded fields: a connection's entries share one caller.
    private var callers = AuditCallerCache()
    private static let sparesKept = 16384

    init(front: AuditFront, state: AuditState) {
        self.head = state.durableHead
        self.front = Locked(front)
        self.state = Locked(state)
    }

    func drain(nextLSN: UInt64, into records: inout [(lsn: UInt64, payload: [UInt8])], rotations: inout [UInt64]) {
        let observer = front.withLock { f -> (@Sendable ([AuditEntry]) -> Void)?? in
            guard !f.queued.isEmpty else {
                f.writerAsleep = true
                return .none
            }
            swap(&f.queued, &batch)
            rotations.append(contentsOf: f.rotations)
            f.rotations.removeAll(keepingCapacity: true)
            return .some(f.observer)
        }
        guard case .some(let observer) = observer else { return }
        batchObserver = observer
        precondition(batch.first?.seq == nextLSN, "access-log seqs must continue the log's LSNs")
        records.reserveCapacity(batch.count)
        // Read in place: iterating the array would copy every entry's strings.
        batch.withUnsafeBufferPointer { entries in
            for i in entries.indices {
                var payload = spares.popLast() ?? []
                head.withUnsafeBytes {
                    AuditCodec.encode(entries[i], previousHash: $0, into: &payload, callers: &callers)
                }
                payload.withUnsafeBytes { p in
                    head.withUnsafeMutableBytes {
                        $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: p[(p.count - AuditCodec.hashSize)...]))
                    }
                }
                records.append((entries[i].seq, payload))
            }
        }
    }

    func landed(_ records: [(lsn: UInt64, payload: [UInt8])], offsets: [Int]) {
        state.withLock { $0.land(batch, offsets: offsets, payloads: records) }
        batchObserver?(batch)
        recycle(records)
    }

    func failed(_ error: FileError, durableLSN: UInt64) {
        front.withLock { $0.failure = error }
        batch.removeAll(keepingCapacity: true)
        batchObserver = nil
    }

    func resumed(durableLSN: UInt64, generation: UInt64) {
        let (durableHead, lastTime) = state.withLock { ($0.durableHead, $0.open.last?.entries.last?.time) }
        head = durableHead
        batch.removeAll(keepingCapacity: true)
        let rolledBack = front.withLock { f in
            f.nextSeq = durableLSN + 1
            // The lost entries' days do not count: the next new day begins a segment again.
            if let lastTime { f.latestDay = AuditDay.of(lastTime) }
            f.queued.removeAll()
            f.rotations.removeAll()
            f.generation = generation
            f.failure = nil
            return f.rollBackObserver
        }
        rolledBack?(durableLSN)
    }

    /// Keeps the batch's payload buffers for the next batches and forgets its entries.
    private func recycle(_ records: [(lsn: UInt64, payload: [UInt8])]) {
        for record in records.prefix(Self.sparesKept - spares.count) { spares.append(record.payload) }
        batch.removeAll(keepingCapacity: true)
        batchObserver = nil
    }
}
