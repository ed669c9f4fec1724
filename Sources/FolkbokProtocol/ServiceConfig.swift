import FolkbokModel
import FolkbokStats
import Glibc
import Synchronization

/// Everything the request handler needs to know about its deployment. The clock is injected
/// so tests can decide what "today" is.
public struct ServiceConfig: Sendable {
    public var customers: CustomerDirectory
    public var version: String
    /// Unix time in seconds (UTC).
    public var clock: @Sendable () -> Int64
    /// Most identities one `person.getMany` may ask for.
    public var maxIdsPerRequest = 500
    /// Microseconds since the epoch, for access-log entries.
    public var clockMicros: @Sendable () -> Int64
    /// Strict audit (default): an answer leaves only after its access-log entries are on disk.
    /// Off (`--audit-sync batched`): entries are synced by the next group commit, so a crash can
    /// lose the last few milliseconds of entries.
    public var strictAudit = true
    /// `stats.open`'s small-cell threshold (`--stats-threshold`).
    public var statsThreshold = SuppressionThreshold.default
    /// How long statistics exports are kept (`--export-ttl`).
    public var exportTTLSeconds: Int64 = ServiceConfig.defaultExportTTLSeconds
    /// Told what the service did, for the operator's log (called outside the read path: session
    /// opens, imports, snapshots). Never handed person data (see `ServiceEvent`).
    public var events: @Sendable (ServiceEvent) -> Void = { _ in }
    /// The node's replication (role, epoch, promotion); nil: a primary without replication.
    public var replication: (any ReplicationControl)?
    /// Seven days.
    public static let defaultExportTTLSeconds: Int64 = 604_800
    /// Changes from which an `admin.import` is a bulk load, after which the stores are trimmed
    /// and the search indexes rebuilt, once (smaller imports keep the indexes up to date as
    /// every write does).
    public var bulkImportChanges = 65_536

    public init(
        customers: CustomerDirectory, version: String = folkbokVersion,
        clock: @escaping @Sendable () -> Int64 = { Int64(time(nil)) },
        clockMicros: @escaping @Sendable () -> Int64 = ServiceConfig.realMicros
    ) {
        self.customers = customers
        self.version = version
        self.clock = clock
        self.clockMicros = clockMicros
    }

    public static let realMicros: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}

/// The version string `ping` answers.
public let folkbokVersion = "0.1.0"

/// Counters the server keeps and `admin.info` reports.
public final class ServerGauges: Sendable {
    public let connections = Atomic<Int>(0)
    public let startedAt: Int64

    public init(startedAt: Int64) { self.startedAt = startedAt }
}

/// Per-connection protocol state. Owned by the connection's event loop; never shared.
public final class ConnectionState {
    public let uid: UInt32
    public internal(set) var session: Session?
    /// Consecutive lines that were not JSON; after 100 the server may close the connection.
    public internal(set) var consecutiveParseErrors = 0
    /// When `session` was opened (microseconds since the epoch), for the session statistics.
    public internal(set) var sessionOpenedAt: Int64 = 0
    /// What the last line `Service.handle` took was (a `RequestMethod` index), for the metrics:
    /// the loop counts its answer under it.
    public internal(set) var method = RequestMethod.blank

    public init(uid: UInt32) { self.uid = uid }
}
