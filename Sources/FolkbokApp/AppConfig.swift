import FolkbokAudit
import FolkbokProtocol
import FolkbokServer
import FolkbokStats
import Foundation

/// Everything `folkbok serve` can be told, with every default in this one place (the command
/// line only overrides what it is given). Validation of ranges is the command line's.
public struct AppConfig: Sendable {
    /// The socket and connection limits (`--socket`, `--max-line`, `--loops`, ...). Defaults:
    /// `./folkbok.sock`, one event loop per core, the rest as `ServerConfig` has them.
    public var server: ServerConfig
    /// `--data` (relative to the working directory).
    public var dataDirectory = "Snapshots"
    /// `--customers`; nil means `<data>/customers.json`, written with the demo customers when
    /// missing, and the demo population stored into an empty data directory.
    public var customersPath: String?
    /// `--shards`: two per core, at least four.
    public var shards = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    /// `--keep-snapshots`.
    public var keepSnapshots = 2
    /// `--log-segment-bytes`: the size a register log segment grows to before the next begins.
    public var logSegmentBytes = 64 << 20
    /// `--snapshot-every`: after this many log records, or this many seconds; both nil is off.
    public var snapshotEveryWrites: UInt64? = 1_000_000
    public var snapshotEverySeconds: Double?
    /// `--recover truncate-log`.
    public var truncateCorruptLog = false
    /// `--audit-retention`, in days.
    public var auditRetentionDays = AuditLog.minimumRetentionDays
    /// `--audit-sync strict` (true) or `batched`.
    public var strictAudit = true
    /// `--stats on|off`.
    public var countStatistics = true
    /// `--stats-threshold`.
    public var statsThreshold = SuppressionThreshold.default
    /// `--export-ttl`, in seconds.
    public var exportTTLSeconds = ServiceConfig.defaultExportTTLSeconds
    /// `--log-level` and `--log-format`.
    public var logLevel = LogLevel.info
    public var logFormat = LogFormat.text

    /// `--metrics-listen [HOST:]PORT`: where `GET /metrics` is served; nil serves none.
    public var metricsListen: String?

    /// `--replication-listen PATH`: the Unix socket replicas follow this node's log on.
    public var replicationListen: String?
    /// `--replica-of PATH`: the primary's replication socket (as given); nil: not a replica.
    public var replicaOf: String?
    /// `--replication-key FILE`: the secret of TCP replication links (≥ 32 bytes, mode 0600 or 0400).
    public var replicationKey: String?
    /// `--replication-uids`: uids besides the server's own that may replicate from it.
    public var replicationUIDs: [UInt32] = []
    /// `--sync-replicas N`: a write is answered once N replicas hold it durably (0: at once).
    public var syncReplicas = 0
    /// `--catchup-snapshot N`: a replica lacking at least N records the newest snapshot holds
    /// gets the snapshot instead of those records (nil: `CatchUpPolicy`'s default rule).
    public var catchUpSnapshotRecords: UInt64?
    /// `--resync`: discard the data directory's register and copy it from the primary again.
    public var resync = false

    /// systemd's `NOTIFY_SOCKET`, told `READY=1` once the server answers and `STOPPING=1` when
    /// shutdown starts; nil tells no one.
    public var notifySocket: String?

    public static let defaultSocketPath = "./folkbok.sock"

    public init() {
        server = ServerConfig(socketPath: AppConfig.defaultSocketPath)
        server.loops = ProcessInfo.processInfo.activeProcessorCount
    }

    /// Whether the embedded demo customers (and, into an empty directory, population) are used.
    public var servesDemo: Bool { customersPath == nil }

    var resolvedCustomersPath: String { customersPath ?? "\(dataDirectory)/customers.json" }
}
