import CFolkbokSys
import Dispatch
import FolkbokStorage
import Foundation
import Glibc
import Synchronization

/// The primary's side of replication (`--replication-listen PATH`): accepts replicas on a Unix
/// socket and streams each its log records from the LSN it asks for, first from the segment
/// files, then live as they become durable; a replica far behind (`CatchUpPolicy`) or behind
/// the pruned log gets the newest snapshot first.
///
/// Guarantees: only a peer whose uid is allowed gets anything past a refusal; a record is sent
/// only once it is durable here (the reader stops at `wal.durableLSN`); every frame carries a
/// CRC32C. Each link has a sender thread and an acknowledgement reader; what the replicas
/// acknowledged is kept for `admin.info` and `--sync-replicas`.
final class ReplicationPrimary: Sendable {
    struct LinkStatus: Sendable {
        let name: String
        var acked: UInt64
        var behindSince: Double?
        let socket: FrameSocket
    }

    let path: String
    let address: ReplicationAddress
    let key: ReplicationKey?
    let dataDirectory: String
    let wal: WriteAheadLog
    let allowedUIDs: Set<UInt32>
    let history: @Sendable () -> EpochHistory
    /// When a replica far behind gets the newest snapshot instead of the records it lacks.
    let catchUp: CatchUpPolicy
    /// How many persons the register holds (for `catchUp`).
    let persons: @Sendable () -> Int
    /// Writes a snapshot reaching at least the given LSN (unless one does already); answers
    /// the newest snapshot's LSN, nil when it failed.
    let snapshotReaching: @Sendable (UInt64) -> UInt64?
    let logger: Logger
    private let listenFD: Int32
    let links = Mutex<[Int: LinkStatus]>([:])
    private let nextID = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let acceptDone = DispatchSemaphore(value: 0)
    /// Commits waiting for replicas (`--sync-replicas`), told when an acknowledgement arrives.
    let ackWaiters = ReplicaAckWaiters()

    init(
        path: String, address: ReplicationAddress, key: ReplicationKey?, dataDirectory: String, wal: WriteAheadLog,
        allowedUIDs: Set<UInt32>, catchUp: CatchUpPolicy = CatchUpPolicy(), persons: @escaping @Sendable () -> Int,
        snapshotReaching: @escaping @Sendable (UInt64) -> UInt64? = { _ in nil }, logger: Logger,
        history: @escaping @Sendable () -> EpochHistory
    ) throws {
        self.catchUp = catchUp
        self.persons = persons
        self.snapshotReaching = snapshotReaching
        self.path = path
        self.address = address
        self.key = key
        self.dataDirectory = dataDirectory
        self.wal = wal
        self.allowedUIDs = allowedUIDs
        self.history = history
        self.logger = logger
        listenFD = try address.listen()
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "folkbok-repl-accept"
        thread.start()
        logger.info("replication.listening", "offering the log to replicas on \(path)", ["socket": .string(path)])
    }

    /// Stops accepting, ends every link and waits for the accepting thread.
    func stop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = Glibc.shutdown(listenFD, Int32(SHUT_RDWR))
        acceptDone.wait()
        Glibc.close(listenFD)
        if case .unix(let socketPath) = address { unlink(socketPath) }
        for link in links.withLock({ Array($0.values) }) { link.socket.shutdown() }
        ackWaiters.cancelAll()
    }

    /// (name, acknowledged LSN, records behind, seconds behind) of every connected replica.
    func status() -> [(name: String, lsn: UInt64, lagRecords: UInt64, lagSeconds: Double)] {
        let durable = wal.durableLSN, now = monotonicNow()
        return links.withLock { links in
            links.keys.sorted().map { id in
                let link = links[id]!
                let behind = durable > link.acked ? durable - link.acked : 0
                return (link.name, link.acked, behind, behind == 0 ? 0 : max(0, now - (link.behindSince ?? now)))
            }
        }
    }

    private func acceptLoop() {
        defer { acceptDone.signal() }
        while !stopping.load(ordering: .acquiring) {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if stopping.load(ordering: .acquiring) { return }
                if errno != EINTR { usleep(50_000) }
                continue
            }
            let thread = Thread { [self] in serve(FrameSocket(fd: fd)) }
            thread.name = "folkbok-repl-send"
            thread.start()
        }
    }

    private func serve(_ socket: FrameSocket) {
        if address.isTCP {
            var one: Int32 = 1
            _ = setsockopt(socket.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            guard let key, (try? FrameAuth.acceptPeer(socket, key: key)) == true else {
                logger.warning(
                    "replication.refused", "refused a TCP peer that did not prove it holds the replication key")
                return
            }
            return serveAuthenticated(socket)
        }
        var uid = UInt32.max
        _ = fb_peer_uid(socket.fd, &uid)
        guard allowedUIDs.contains(uid) else {
            logger.warning(
                "replication.refused",
                "refused a replica connecting as uid \(uid) (not this server's uid nor in --replication-uids)",
                ["uid": .int(Int(uid))])
            try? socket.send(
                ReplicationFrame(kind: .refuse, body: Array("uid \(uid) may not replicate from this server".utf8)))
            return
        }
        serveAuthenticated(socket)
    }

    private func serveAuthenticated(_ socket: FrameSocket) {
        let hello: ReplicationFrame
        do {
            guard let frame = try socket.next(timeout: 10) else { return }
            if frame.kind == .snapshotRequest { return sendSnapshot(to: socket) }
            guard frame.kind == .hello, frame.body.count >= 16 else { return }
            hello = frame
        } catch { return }
        let replicaEpoch = hello.body.littleEndianU64(at: 0), from = hello.body.littleEndianU64(at: 8)
        let name = String(decoding: hello.body[16...], as: UTF8.self)
        let id = nextID.add(1, ordering: .relaxed).newValue
        links.withLock { $0[id] = LinkStatus(name: name, acked: from, behindSince: nil, socket: socket) }
        defer {
            links.withLock { _ = $0.removeValue(forKey: id) }
            socket.shutdown()
            ackWaiters.recheck(self)
        }
        logger.info(
            "replication.connected", "replica \(name) connected (epoch \(replicaEpoch), from LSN \(from))",
            ["replica": .string(name), "epoch": .int(Int(replicaEpoch)), "lsn": .int(Int(from))])
        do {
            var welcome: [UInt8] = []
            welcome.appendLittleEndian(wal.durableLSN)
            welcome.append(contentsOf: history().bytes)
            try socket.send(ReplicationFrame(kind: .welcome, body: welcome))
            let acks = Thread { [self] in readAcknowledgements(id: id, socket: socket) }
            acks.name = "folkbok-repl-acks"
            acks.start()
            try stream(from: try sendSnapshotIfFarBehind(from: from, to: socket, name: name), to: socket, id: id)
        } catch {
            if !stopping.load(ordering: .acquiring) {
                logger.warning(
                    "replication.link.ended", "the link to replica \(name) ended: \(error)", ["replica": .string(name)])
            }
        }
    }

    /// A replica starting empty: the epoch history, then the newest snapshot.
    private func sendSnapshot(to socket: FrameSocket) {
        do {
            var welcome: [UInt8] = []
            welcome.appendLittleEndian(wal.durableLSN)
            welcome.append(contentsOf: history().bytes)
            try socket.send(ReplicationFrame(kind: .welcome, body: welcome))
            // The log after the newest snapshot would be shipped record by record: when that is
            // far more than a snapshot costs (`catchUp`), a newer snapshot is written first.
            let durable = wal.durableLSN, newest = try SnapshotCopy.newest(in: dataDirectory)?.lsn ?? 0
            if catchUp.prefersSnapshot(replicaLSN: newest, snapshotLSN: durable, persons: persons) {
                _ = writeSnapshot(reaching: durable, heartbeatsTo: socket)
            }
            try SnapshotCopy.send(from: dataDirectory, to: socket)
            logger.info("replication.snapshot.sent", "sent the newest snapshot to a replica starting empty")
        } catch {
            logger.warning("replication.snapshot.failed", "sending a snapshot to a replica failed: \(error)")
        }
    }

    /// Sends the newest snapshot first when the replica at `from` is far behind
    /// (`catchUp`) or this log no longer holds the record after `from`; answers the LSN the
    /// log must be streamed after. When the replica is far behind the log but no snapshot
    /// covers enough of it, a snapshot is written first (as `--snapshot-every` would soon).
    private func sendSnapshotIfFarBehind(from: UInt64, to socket: FrameSocket, name: String) throws -> UInt64 {
        var counted: Int?
        let persons = { [self] () -> Int in
            if let counted { return counted }
            counted = self.persons()
            return counted!
        }
        let durable = wal.durableLSN
        var snapshot = try SnapshotCopy.newest(in: dataDirectory)
        let pruned = (wal.segments.first?.firstLSN ?? 1) > from + 1
        if !pruned {
            guard catchUp.prefersSnapshot(replicaLSN: from, snapshotLSN: durable, persons: persons) else { return from }
            if !catchUp.prefersSnapshot(replicaLSN: from, snapshotLSN: snapshot?.lsn ?? 0, persons: persons) {
                logger.info(
                    "replication.snapshot.writing",
                    "replica \(name) lacks \(durable - from) records and no snapshot covers enough of them: writing one",
                    ["replica": .string(name), "records": .int(Int(durable - from))])
                let started = monotonicNow()
                if let lsn = writeSnapshot(reaching: durable, heartbeatsTo: socket) {
                    logger.info(
                        "replication.snapshot.written",
                        "the snapshot for replica \(name) reaches LSN \(lsn) (\(String(format: "%.2f", monotonicNow() - started)) s)",
                        [
                            "replica": .string(name), "lsn": .int(Int(lsn)),
                            "seconds": .seconds(monotonicNow() - started),
                        ])
                }
                snapshot = try SnapshotCopy.newest(in: dataDirectory)
            }
        }
        guard let snapshot, snapshot.lsn > from,
            pruned || catchUp.prefersSnapshot(replicaLSN: from, snapshotLSN: snapshot.lsn, persons: persons)
        else { return from }
        logger.info(
            "replication.snapshot.catchup",
            "replica \(name) lacks \(snapshot.lsn - from) records of the newest snapshot: sending the snapshot "
                + "(LSN \(snapshot.lsn)) and the log after it",
            ["replica": .string(name), "lsn": .int(Int(snapshot.lsn)), "records": .int(Int(snapshot.lsn - from))])
        try SnapshotCopy.send(path: snapshot.path, lsn: snapshot.lsn, to: socket)
        return snapshot.lsn
    }

    /// `snapshotReaching(lsn)` on a thread of its own, with a heartbeat to the replica each
    /// second meanwhile (it drops a link silent for 5 s).
    private func writeSnapshot(reaching lsn: UInt64, heartbeatsTo socket: FrameSocket) -> UInt64? {
        let written = Mutex<UInt64?>(nil)
        let done = DispatchSemaphore(value: 0)
        let snapshotReaching = self.snapshotReaching
        Thread.detachNewThread {
            written.withLock { $0 = snapshotReaching(lsn) }
            done.signal()
        }
        while done.wait(timeout: .now() + 1) == .timedOut {
            try? socket.send(ReplicationFrame.lsn(.heartbeat, wal.durableLSN))
        }
        return written.withLock { $0 }
    }

    /// Sends records after `from` as they become durable, and a heartbeat each second.
    private func stream(from: UInt64, to socket: FrameSocket, id: Int) throws {
        let reader = WALTailReader(wal: wal, after: from)
        let wakeup = DispatchSemaphore(value: 0)
        var waiting = false
        var out: [UInt8] = []
        while !stopping.load(ordering: .acquiring) {
            let durable = wal.durableLSN
            if durable >= reader.nextLSN {
                let records: [(lsn: UInt64, payload: [UInt8])]
                do { records = try reader.read(upTo: durable, maxRecords: 8192, maxBytes: 8 << 20) } catch let error
                    as WALTailReader.TailError
                {
                    let text =
                        "the primary cannot send the log after LSN \(reader.nextLSN - 1): \(error); "
                        + "restart the replica with --resync to copy the register again"
                    try? socket.send(ReplicationFrame(kind: .refuse, body: Array(text.utf8)))
                    throw error
                }
                out.removeAll(keepingCapacity: true)
                for record in records {
                    let frameStart = out.count
                    ReplicationFrame.record(lsn: record.lsn, payload: record.payload, into: &out)
                    socket.seal(&out, frameStart: frameStart)
                }
                let frameStart = out.count
                ReplicationFrame.lsn(.heartbeat, durable).encode(into: &out)
                socket.seal(&out, frameStart: frameStart)
                let now = monotonicNow()
                links.withLock { links in
                    if let acked = links[id]?.acked, acked < durable, links[id]?.behindSince == nil {
                        links[id]?.behindSince = now
                    }
                }
                try socket.send(out)
                continue
            }
            if wal.failure != nil {
                usleep(200_000)
                try socket.send(ReplicationFrame.lsn(.heartbeat, durable))
                continue
            }
            if !waiting {
                waiting = true
                wal.whenDurable(WALTicket(lsn: durable + 1, generation: nil)) { _ in wakeup.signal() }
            }
            if wakeup.wait(timeout: .now() + 1) == .success {
                waiting = false
            } else {
                try socket.send(ReplicationFrame.lsn(.heartbeat, durable))
            }
        }
    }

    /// Reads the replica's acknowledgements until the link ends (then ends the link's sender too).
    private func readAcknowledgements(id: Int, socket: FrameSocket) {
        defer { socket.shutdown() }
        do {
            while !stopping.load(ordering: .acquiring) {
                guard let frame = try socket.next(timeout: 3600) else { continue }
                switch frame.kind {
                case .ack:
                    guard let lsn = frame.leadingLSN else { return }
                    let durable = wal.durableLSN
                    links.withLock { links in
                        if let acked = links[id]?.acked, acked < lsn { links[id]?.acked = lsn }
                        if lsn >= durable { links[id]?.behindSince = nil }
                    }
                    ackWaiters.recheck(self)
                case .refuse:
                    logger.warning("replication.replica.refused", "a replica refused to follow: \(frame.text)")
                    return
                default: return
                }
            }
        } catch {}
    }

    /// How many connected replicas have acknowledged `lsn`.
    func replicasHolding(_ lsn: UInt64) -> Int {
        links.withLock { $0.values.filter { $0.acked >= lsn }.count }
    }
}

/// Commits waiting until enough replicas hold their records (`--sync-replicas`).
///
/// Guarantees: each waiter is resumed exactly once: when `needed` replicas acknowledged its
/// LSN, or when the primary stops.
final class ReplicaAckWaiters: Sendable {
    private let waiting = Mutex<[(lsn: UInt64, needed: Int, done: @Sendable (Bool) -> Void)]>([])
    private let stopped = Atomic<Bool>(false)

    func add(lsn: UInt64, needed: Int, in primary: ReplicationPrimary, _ done: @escaping @Sendable (Bool) -> Void) {
        waiting.withLock { $0.append((lsn, needed, done)) }
        if stopped.load(ordering: .acquiring) { return cancelAll() }
        recheck(primary)
    }

    func recheck(_ primary: ReplicationPrimary) {
        let acked = primary.links.withLock { $0.values.map(\.acked) }.sorted(by: >)
        let ready = waiting.withLock { list -> [@Sendable (Bool) -> Void] in
            var out: [@Sendable (Bool) -> Void] = []
            list.removeAll { entry in
                let holding = acked.prefix { $0 >= entry.lsn }.count
                guard holding >= entry.needed else { return false }
                out.append(entry.done)
                return true
            }
            return out
        }
        for done in ready { done(true) }
    }

    func cancelAll() {
        stopped.store(true, ordering: .releasing)
        let all = waiting.withLock { list in
            defer { list = [] }
            return list.map(\.done)
        }
        for done in all { done(false) }
    }
}
