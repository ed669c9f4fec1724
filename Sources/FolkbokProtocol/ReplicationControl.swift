import FolkbokJSON
import FolkbokModel

/// What the service asks of the node's replication (the composition root provides it):
/// whether writes are taken here, the `admin.info` keys, and promotion.
///
/// Guarantees of an implementation: `writeRefusal` is cheap (no lock, no syscall); it is nil
/// on a primary and the 5003 `read_only_replica` error (naming the primary) on a replica.
public protocol ReplicationControl: Sendable {
    /// Why a write is refused on this node now; nil when it takes writes.
    var writeRefusal: RPCError? { get }
    /// Appends `,"role":…,"epoch":…` and the role's keys to an `admin.info` object being written.
    func writeInfo(into w: inout JSONWriter)
    /// Stops following and takes writes in a new epoch; answers the new epoch and the last
    /// applied LSN. Throws `invalidParams` on a primary.
    func promote() async throws(RPCError) -> (epoch: UInt64, lsn: UInt64)
    /// Returns once the write ending at `lsn` may be answered: at once, or under
    /// `--sync-replicas N` once N replicas hold it durably. False: it may not (the server is
    /// stopping and the replicas never confirmed it).
    func confirmReplicated(_ lsn: UInt64) async -> Bool
    /// How far behind the replication is, for the metrics: on a primary one entry per connected
    /// replica, on a replica one for its primary.
    var lag: [ReplicationLag] { get }
}

/// One replication link's lag: the peer (a replica's name on a primary, the `--replica-of`
/// address on a replica), the records the replica lacks, and on a primary the seconds it has
/// been behind (nil where the node cannot tell).
public struct ReplicationLag: Sendable {
    public let peer: String
    public let records: UInt64
    public let seconds: Double?

    public init(peer: String, records: UInt64, seconds: Double?) {
        self.peer = peer
        self.records = records
        self.seconds = seconds
    }
}

extension RPCError {
    /// A write sent to a replica: 5003 `read_only_replica`, with `data.primary`.
    public static func readOnlyReplica(primary: String) -> RPCError {
        var error = RPCError(
            code: 5003, reason: "read_only_replica",
            message: "this server is a read-only replica; send writes to the primary")
        error.primary = primary
        return error
    }
}

extension Service {
    /// nil when a write ending at `lsn` may be answered; the 5003 to answer instead when the
    /// replicas `--sync-replicas` waits for never confirmed it.
    func replicaRefusal(after lsn: UInt64) async -> RPCError? {
        guard let replication = config.replication, lsn > 0 else { return nil }
        guard await !replication.confirmReplicated(lsn) else { return nil }
        return .unavailable(
            "the write is durable on this server, but the replicas --sync-replicas waits for did not confirm it before it stopped"
        )
    }

    /// Methods that change the register: refused on a replica.
    static let writeMethods: Set<String> = [
        "contact.set", "contact.delete", "reserve.assign", "reserve.register", "reserve.update",
        "reserve.link", "reserve.unlink", "admin.import",
    ]

    func adminPromote(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        _ = try Params(params, allowed: [])
        _ = try operatorSession(session)
        guard let replication = config.replication, replication.writeRefusal != nil else {
            throw .invalidParams("this server is a primary; only a replica can be promoted")
        }
        return .slow {
            do {
                let (epoch, lsn) = try await replication.promote()
                return Reply.success(id: id) { w in
                    w.raw("{\"role\":\"primary\",\"epoch\":")
                    w.uint(epoch)
                    w.raw(",\"lsn\":")
                    w.uint(lsn)
                    w.raw("}")
                }
            } catch let error as RPCError {
                return Reply.error(id: id, error)
            } catch {
                return Reply.error(id: id, .internalError)
            }
        }
    }
}
