import Dispatch
import FolkbokEngine
import FolkbokJSON
import FolkbokProtocol
import FolkbokStorage
import Foundation
import Synchronization

/// The node's replication role: a primary (taking writes, offering its log when
/// `--replication-listen` is given) or a replica (`--replica-of`) until promoted.
///
/// Guarantees: `writeRefusal` is one atomic load; promotion stops the follower (the batch it
/// was applying is applied first), writes the new epoch to the data directory (fsynced)
/// before the first write is taken, and later commits continue after the last applied LSN.
final class ReplicationNode: ReplicationControl {
    let persistence: Persistence
    let epochs: EpochStore
    let primaryAddress: String?
    let follower: ReplicaFollower?
    private let replica: Atomic<Bool>
    private let refusal: RPCError?
    let listener = Mutex<ReplicationPrimary?>(nil)
    private let promotion = Mutex<Bool>(false)
    let logger: Logger
    /// `--sync-replicas`: replicas that must hold a write before it is answered.
    let syncReplicas: Int

    init(config: AppConfig, setup: ReplicationSetup, persistence: Persistence, epochs: EpochStore, logger: Logger) {
        self.persistence = persistence
        self.epochs = epochs
        self.logger = logger
        primaryAddress = config.replicaOf
        syncReplicas = config.syncReplicas
        replica = Atomic(config.replicaOf != nil)
        refusal = config.replicaOf.map { RPCError.readOnlyReplica(primary: $0) }
        follower = config.replicaOf.flatMap { address in setup.primary.map { (address, $0) } }.map {
            ReplicaFollower(
                address: $0.0, endpoint: $0.1, name: absolutePathOf(config.server.socketPath), persistence: persistence,
                histories: epochs, logger: logger)
        }
    }

    /// Starts offering the log (when asked) and following the primary (on a replica).
    func start(config: AppConfig, setup: ReplicationSetup) throws(AppStartError) {
        if let path = config.replicationListen, let address = setup.listen {
            var allowed = Set(config.replicationUIDs)
            allowed.insert(getuid())
            do {
                let primary = try ReplicationPrimary(
                    path: path, address: address, key: setup.listenKey,
                    dataDirectory: persistence.config.directory, wal: persistence.wal, allowedUIDs: allowed,
                    catchUp: CatchUpPolicy(fixedRecords: config.catchUpSnapshotRecords),
                    persons: { [engine = persistence.engine] in
                        blockingResult { await engine.count() }.get()
                    },
                    snapshotReaching: { [persistence] lsn in
                        try? blockingResult { () async throws in try await persistence.snapshot(reaching: lsn) }.get()
                    },
                    logger: logger
                ) { [epochs] in
                    epochs.history
                }
                listener.withLock { $0 = primary }
            } catch let error as AppStartError {
                throw error
            } catch {
                throw AppStartError("cannot offer replication on \(path): \(error)")
            }
        }
        follower?.start()
    }

    /// Answers the writes waiting for replicas (with a refusal): the server is stopping.
    func stopWaiting() { listener.withLock { $0 }?.ackWaiters.cancelAll() }

    func confirmReplicated(_ lsn: UInt64) async -> Bool {
        guard syncReplicas > 0, !isReplica, let primary = listener.withLock({ $0 }) else { return true }
        let needed = syncReplicas
        return await withCheckedContinuation { continuation in
            primary.ackWaiters.add(lsn: lsn, needed: needed, in: primary) { continuation.resume(returning: $0) }
        }
    }

    func stop() {
        follower?.stop()
        listener.withLock { $0 }?.stop()
    }

    var isReplica: Bool { replica.load(ordering: .acquiring) }

    var writeRefusal: RPCError? { replica.load(ordering: .relaxed) ? refusal : nil }

    var lag: [ReplicationLag] {
        if isReplica, let follower {
            let s = follower.status.withLock { $0 }
            let applied = persistence.engine.lsn
            return [
                ReplicationLag(
                    peer: follower.address, records: s.primaryLSN > applied ? s.primaryLSN - applied : 0, seconds: nil)
            ]
        }
        let links = listener.withLock { $0 }?.status() ?? []
        return links.map { ReplicationLag(peer: $0.name, records: $0.lagRecords, seconds: $0.lagSeconds) }
    }

    func writeInfo(into w: inout JSONWriter) {
        let history = epochs.history
        w.raw(",\"role\":")
        w.string(isReplica ? "replica" : "primary")
        w.raw(",\"epoch\":")
        w.uint(history.current)
        if isReplica, let follower {
            let s = follower.status.withLock { $0 }
            w.raw(",\"primary\":{\"addr\":")
            w.string(follower.address)
            w.raw(",\"connected\":")
            w.bool(s.connected)
            w.raw(",\"lsn\":")
            w.uint(s.primaryLSN)
            if let error = s.error {
                w.raw(",\"error\":")
                w.string(error)
            }
            if let copy = s.snapshotCopy {
                w.raw(",\"snapshotCopy\":{\"bytes\":")
                w.int(copy.bytes)
                w.raw(",\"total\":")
                w.int(copy.total)
                w.raw("}")
            }
            w.raw("},\"appliedLsn\":")
            w.uint(persistence.engine.lsn)
        } else {
            w.raw(",\"syncReplicas\":")
            w.int(syncReplicas)
            w.raw(",\"replicas\":[")
            let links = listener.withLock { $0 }?.status() ?? []
            for (i, link) in links.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw("{\"addr\":")
                w.string(link.name)
                w.raw(",\"lsn\":")
                w.uint(link.lsn)
                w.raw(",\"lagRecords\":")
                w.uint(link.lagRecords)
                w.raw(",\"lagSeconds\":")
                w.double((link.lagSeconds * 1000).rounded() / 1000)
                w.raw("}")
            }
            w.raw("]")
        }
    }

    func promote() async throws(RPCError) -> (epoch: UInt64, lsn: UInt64) {
        guard isReplica else { throw .invalidParams("this server is a primary; only a replica can be promoted") }
        guard
            promotion.withLock({ p -> Bool in
                defer { p = true }
                return !p
            })
        else {
            throw .unavailable("a promotion is already under way")
        }
        let result: Result<(UInt64, UInt64), RPCError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                follower?.stop()
                let lsn = persistence.wal.durableLSN
                let promoted = epochs.history.promoted(lastLSN: lsn)
                do {
                    try epochs.replace(with: promoted)
                } catch {
                    promotion.withLock { $0 = false }
                    continuation.resume(
                        returning: .failure(
                            .unavailable("the new epoch could not be written to the data directory: \(error)")))
                    return
                }
                continuation.resume(returning: .success((promoted.current, lsn)))
            }
        }
        let (epoch, lsn) = try result.get()
        await persistence.engine.resume(after: lsn)
        replica.store(false, ordering: .releasing)
        logger.info(
            "replication.promoted", "promoted to primary: epoch \(epoch), writes continue after LSN \(lsn)",
            ["epoch": .int(Int(epoch)), "lsn": .int(Int(lsn))])
        return (epoch, lsn)
    }
}

/// `path` made absolute against the working directory.
func absolutePathOf(_ path: String) -> String {
    path.hasPrefix("/")
        ? path
        : FileManager.default.currentDirectoryPath + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
}
