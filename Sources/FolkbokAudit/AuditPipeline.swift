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
    var observer: (@Sendable ([AuditEntry]) -> Void)?
    var rollBackObserver: (@Sendable (UInt64) -> Void)?
}

/// The access log's stage in front of its write-ahead log (`WALStage`): request threads only
/// append entries to `front`; the log's writer thread takes them in batches, encodes them,
/// extends the hash chain, shows them to the observer (usage statistics) in seq order, and once
/// they are durable records where each landed, for queries and for sealing from memory.
///
/// Guarantees: entries are encoded and chained in seq order; the chain continues from the
/// stored hash of the last durable entry after a failure; the observer sees every entry queued
/// before it is written, and is told the last durable seq when entries it saw were lost.
/// `head` and `batch` are touched only by the writer thread (hence `@unchecked Sendable`).
final class AuditPipeline: WALStage, @unchecked Sendable {
    let front: Locked<AuditFront>
    let state: Locked<AuditState>
    /// The stored hash of the last entry encoded.
    private var head: [UInt8]
    /// The entries of the batch being written, with their hashes and frame sizes.
    private var batch: [AuditEntry] = []
    private var hashes: [[UInt8]] = []
    private var frameSizes: [Int] = []

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
        precondition(batch.first?.seq == nextLSN, "access-log seqs must continue the log's LSNs")
        records.reserveCapacity(batch.count)
        for e in batch {
            let (payload, hash) = AuditCodec.encode(e, previousHash: head)
            head = hash
            hashes.append(hash)
            frameSizes.append(WriteAheadLog.frameSize(payload: payload.count))
            records.append((e.seq, payload))
        }
        observer?(batch)
    }

    func landed(_ records: [(lsn: UInt64, payload: [UInt8])], offsets: [Int]) {
        state.withLock { $0.land(batch, offsets: offsets, frameSizes: frameSizes, hashes: hashes) }
        clearBatch()
    }

    func failed(_ error: FileError, durableLSN: UInt64) {
        front.withLock { $0.failure = error }
        clearBatch()
    }

    func resumed(durableLSN: UInt64, generation: UInt64) {
        head = state.withLock { $0.durableHead }
        clearBatch()
        let rolledBack = front.withLock { f in
            f.nextSeq = durableLSN + 1
            f.queued.removeAll()
            f.rotations.removeAll()
            f.generation = generation
            f.failure = nil
            return f.rollBackObserver
        }
        rolledBack?(durableLSN)
    }

    private func clearBatch() {
        batch.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        frameSizes.removeAll(keepingCapacity: true)
    }
}
