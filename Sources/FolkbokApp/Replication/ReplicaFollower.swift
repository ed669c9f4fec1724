import Dispatch
import FolkbokEngine
import FolkbokModel
import FolkbokStorage
import Foundation
import Glibc
import Synchronization

/// The replica's side of replication (`--replica-of PATH`): connects to the primary, says its
/// epoch and last durable LSN, and takes the records that follow: each batch is made durable
/// in this node's own log (one group commit), acknowledged right after that sync and only then
/// applied to the engine, so reads never show a record that is not durable here and a
/// restarted replica resumes from its own log. A replica far behind may get the primary's
/// snapshot first (`catchUpFromSnapshot`).
///
/// Guarantees: records are applied in LSN order with no gap and none twice (a record whose LSN
/// is not the next one drops the link); a framing error, a checksum mismatch or a silent
/// primary (no heartbeat for 5 s) drops the link, and it is tried again after a backoff that
/// doubles from 0.1 s up to 30 s (back to 0.1 s after a link that was accepted). A primary
/// whose history diverged from this node's is refused (`EpochHistory.refusal`), with the
/// reason logged and kept in `status`.
final class ReplicaFollower: Sendable {
    struct Status: Sendable {
        var connected = false
        var primaryLSN: UInt64 = 0
        var error: String?
        /// While the primary's snapshot is copied: bytes received and the snapshot's size.
        var snapshotCopy: (bytes: Int, total: Int)?
    }

    let address: String
    let endpoint: ReplicationEndpoint
    let name: String
    let persistence: Persistence
    let histories: EpochStore
    let logger: Logger
    let status = Mutex(Status())
    private let stopping = Atomic<Bool>(false)
    private let current = Mutex<FrameSocket?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    init(
        address: String, endpoint: ReplicationEndpoint, name: String, persistence: Persistence, histories: EpochStore,
        logger: Logger
    ) {
        self.address = address
        self.endpoint = endpoint
        self.name = name
        self.persistence = persistence
        self.histories = histories
        self.logger = logger
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "folkbok-repl-follow"
        thread.start()
    }

    /// Stops following and returns once the batch being applied (if any) is applied.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        current.withLock { $0?.shutdown() }
        finished.wait()
    }

    private func run() {
        defer { finished.signal() }
        var backoff = 0.1
        while !stopping.load(ordering: .acquiring) {
            do {
                try followOnce { backoff = 0.1 }
            } catch {
                if stopping.load(ordering: .acquiring) { break }
                let text = "\(error)"
                let refused = error is Refusal
                let changed = status.withLock { s -> Bool in
                    defer {
                        s.connected = false
                        s.error = text
                    }
                    return s.error != text
                }
                if refused {
                    logger.error("replication.refused", text, ["primary": .string(address)])
                } else if changed {
                    logger.warning(
                        "replication.link.down",
                        "the link to the primary \(address) is down (retrying, at most every 30 s): \(text)",
                        ["primary": .string(address)])
                }
            }
            status.withLock { $0.connected = false }
            let until = monotonicNow() + backoff
            while !stopping.load(ordering: .acquiring) && monotonicNow() < until { usleep(20_000) }
            backoff = min(backoff * 2, 30)
        }
    }

    /// A refusal to follow (diverged history, or the primary refused): not a network failure.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    private func followOnce(accepted: () -> Void) throws {
        let wal = persistence.wal, engine = persistence.engine
        if wal.failure != nil { _ = try wal.resume() }
        let socket = try endpoint.connect()
        current.withLock { $0 = socket }
        defer { current.withLock { $0 = nil } }
        if stopping.load(ordering: .acquiring) { return }
        let local = histories.history
        var lastLSN = wal.durableLSN
        var hello: [UInt8] = []
        hello.appendLittleEndian(local.current)
        hello.appendLittleEndian(lastLSN)
        hello.append(contentsOf: Array(name.utf8))
        try socket.send(ReplicationFrame(kind: .hello, body: hello))
        guard let welcome = try socket.next(timeout: 10) else {
            throw FrameSocket.LinkError(description: "the primary did not answer")
        }
        if welcome.kind == .refuse { throw Refusal(description: "the primary refused: \(welcome.text)") }
        guard welcome.kind == .welcome, welcome.body.count > 8,
            let theirs = EpochHistory(bytes: Array(welcome.body[8...]))
        else {
            throw FrameSocket.LinkError(description: "the primary's welcome is malformed")
        }
        let primaryLSN = welcome.body.littleEndianU64(at: 0)
        if let refusal = theirs.refusal(localEpoch: local.current, localLSN: lastLSN, primaryLSN: primaryLSN) {
            try? socket.send(ReplicationFrame(kind: .refuse, body: Array(refusal.utf8)))
            throw Refusal(description: refusal)
        }
        if theirs != local { try histories.replace(with: theirs) }
        status.withLock { $0 = Status(connected: true, primaryLSN: primaryLSN, error: nil) }
        accepted()
        logger.info(
            "replication.following", "following the primary \(address) from LSN \(lastLSN) (epoch \(theirs.current))",
            ["primary": .string(address), "lsn": .int(Int(lastLSN)), "epoch": .int(Int(theirs.current))])
        let acks = AckSender(socket: socket)
        try acks.send(lastLSN)

        // Pipelined: a batch is queued in this node's log and acknowledged to the primary
        // from the log's writer thread right after its sync, while the next batch is read and
        // decoded; it is applied (after that sync) before the next one is queued. Whatever is
        // in flight when the link ends (or the follower stops) is applied if it became durable.
        var inFlight: QueuedBatch?
        defer { if let inFlight { try? apply(inFlight, to: engine) } }
        while !stopping.load(ordering: .acquiring) {
            var frames: [ReplicationFrame] = []
            if inFlight != nil { try gather(from: socket, into: &frames) }
            if frames.isEmpty {
                if let batch = inFlight {
                    inFlight = nil
                    try apply(batch, to: engine)
                }
                guard let first = try socket.next(timeout: 5) else {
                    throw FrameSocket.LinkError(description: "no heartbeat from the primary for 5 s")
                }
                if first.kind == .snapshotBegin {
                    lastLSN = try catchUpFromSnapshot(first, after: lastLSN, on: socket)
                    try acks.send(lastLSN)
                    continue
                }
                frames = [first]
                try gather(from: socket, into: &frames)
            }
            var entries: [(lsn: UInt64, payload: [UInt8])] = []
            var mutations: [Mutation] = []
            for frame in frames {
                switch frame.kind {
                case .record:
                    guard let lsn = frame.leadingLSN, lsn == lastLSN + UInt64(entries.count) + 1 else {
                        throw FrameSocket.LinkError(
                            description:
                                "the primary sent LSN \(frame.leadingLSN ?? 0) where \(lastLSN + UInt64(entries.count) + 1) was due"
                        )
                    }
                    let payload = Array(frame.body[8...])
                    do { mutations.append(try RecordCodec.decode(payload)) } catch {
                        throw FrameSocket.LinkError(
                            description: "log record \(lsn) from the primary does not decode: \(error)")
                    }
                    entries.append((lsn, payload))
                case .heartbeat:
                    if let lsn = frame.leadingLSN { status.withLock { $0.primaryLSN = max($0.primaryLSN, lsn) } }
                case .refuse:
                    throw Refusal(description: "the primary ended the link: \(frame.text)")
                default:
                    throw FrameSocket.LinkError(
                        description: "unexpected frame kind \(frame.kind.rawValue) from the primary")
                }
            }
            guard let last = entries.last?.lsn else { continue }
            // The primary holds them durably: that much it has, whatever happens here.
            status.withLock { $0.primaryLSN = max($0.primaryLSN, last) }
            let batch = QueuedBatch(last: last, mutations: mutations)
            let ticket = try wal.queue(entries)
            wal.whenDurable(ticket) { result in
                // One acknowledgement per batch, as soon as it is durable here (sync mode waits on it).
                if case .success = result { try? acks.send(last) }
                batch.finish(result)
            }
            lastLSN = last
            let previous = inFlight
            inFlight = batch
            if let previous { try apply(previous, to: engine) }
        }
    }

    /// Adds whatever else has already arrived to `frames` (one sync for all of it), without
    /// waiting; stops before a snapshot (it is taken on its own, once the batches are applied).
    private func gather(from socket: FrameSocket, into frames: inout [ReplicationFrame]) throws {
        var bytes = frames.reduce(0) { $0 + $1.body.count }
        while frames.count < 16_384 && bytes < 16 << 20 && socket.nextKind != .snapshotBegin {
            if let more = try socket.buffered() {
                frames.append(more)
                bytes += more.body.count
            } else if try !socket.readMore(waitingMillis: 0) {
                break
            }
        }
    }

    /// Waits until the batch is durable in this node's log, then applies it to the engine;
    /// throws the log's failure instead (nothing of the batch is applied).
    private func apply(_ batch: QueuedBatch, to engine: Engine) throws {
        try batch.durable()
        let applied = DispatchSemaphore(value: 0)
        let mutations = batch.mutations, last = batch.last
        Task {
            await engine.applyReplicated(mutations, lastLSN: last)
            applied.signal()
        }
        applied.wait()
    }

    /// The primary found this replica far behind its newest snapshot and sends that first
    /// (`CatchUpPolicy`): the snapshot is received into the data directory (synced, renamed),
    /// loaded, and installed as the register (`Persistence.installReplicatedSnapshot`: the log
    /// goes on after the snapshot's LSN, the engine takes its stores). Answers that LSN.
    private func catchUpFromSnapshot(_ begin: ReplicationFrame, after lastLSN: UInt64, on socket: FrameSocket) throws
        -> UInt64
    {
        guard begin.body.count >= 16 else {
            throw FrameSocket.LinkError(description: "the primary's snapshot announcement is malformed")
        }
        let lsn = begin.body.littleEndianU64(at: 0), size = Int(begin.body.littleEndianU64(at: 8))
        guard lsn > lastLSN else {
            throw FrameSocket.LinkError(
                description: "the primary offered a snapshot at LSN \(lsn), not ahead of this replica's LSN \(lastLSN)")
        }
        status.withLock { $0.primaryLSN = max($0.primaryLSN, lsn) }
        let started = monotonicNow()
        status.withLock { $0.snapshotCopy = (0, size) }
        defer { status.withLock { $0.snapshotCopy = nil } }
        let path = try SnapshotCopy.receive(
            from: socket, lsn: lsn, size: size, into: persistence.config.directory, address: address, logger: logger
        ) { bytes in status.withLock { $0.snapshotCopy = (bytes, size) } }
        let copied = monotonicNow()
        let (info, stores) = try persistence.loadReplicatedSnapshot(path: path)
        guard info.lsn == lsn else {
            throw FrameSocket.LinkError(description: "the primary's snapshot says LSN \(info.lsn), announced \(lsn)")
        }
        try blockingResult { [persistence] () async throws in
            try await persistence.installReplicatedSnapshot(info, stores: stores)
        }.get()
        let now = monotonicNow()
        logger.info(
            "replication.snapshot.installed",
            "caught up \(lsn - lastLSN) records from the primary's snapshot at LSN \(lsn) (\(info.count) persons): "
                + "copied in \(String(format: "%.2f", copied - started)) s, loaded in \(String(format: "%.2f", now - copied)) s",
            ["lsn": .int(Int(lsn)), "records": .int(Int(lsn - lastLSN)), "seconds": .seconds(now - started)])
        return lsn
    }
}

/// A batch of records queued in the replica's log, waiting for its sync before it is applied.
///
/// Guarantees: `durable` returns only once the log reported the batch durable, and throws the
/// log's failure when it lost it; `finish` is called once, by the log.
final class QueuedBatch: @unchecked Sendable {
    // @unchecked: `outcome` is written once before `done` is signalled and read after it.
    let last: UInt64
    let mutations: [Mutation]
    private var outcome: Result<Void, FileError>?
    private let done = DispatchSemaphore(value: 0)

    init(last: UInt64, mutations: [Mutation]) {
        self.last = last
        self.mutations = mutations
    }

    func finish(_ result: Result<Void, FileError>) {
        outcome = result
        done.signal()
    }

    func durable() throws {
        done.wait()
        done.signal()
        try outcome!.get()
    }
}

/// The replica's acknowledgements on a link: sent from the follower and from the log's writer
/// thread (right after a sync), one at a time, in LSN order.
final class AckSender: Sendable {
    private let socket: Mutex<FrameSocket>

    init(socket: FrameSocket) { self.socket = Mutex(socket) }

    func send(_ lsn: UInt64) throws {
        try socket.withLock { try $0.send(ReplicationFrame.lsn(.ack, lsn)) }
    }
}

/// The node's epoch history, shared by the follower, the primary side and promotion, and kept
/// in the data directory.
final class EpochStore: Sendable {
    let directory: String
    let fs: any FileSystem
    private let value: Mutex<EpochHistory>

    init(directory: String, fs: any FileSystem) throws {
        self.directory = directory
        self.fs = fs
        value = Mutex(try EpochHistory.load(directory: directory, fs: fs))
    }

    var history: EpochHistory { value.withLock { $0 } }

    /// Saves `history` in the data directory, then makes it the current one.
    func replace(with history: EpochHistory) throws {
        try history.save(directory: directory, fs: fs)
        value.withLock { $0 = history }
    }
}
