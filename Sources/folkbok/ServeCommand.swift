import FolkbokApp
import FolkbokAudit
import FolkbokStats
import Foundation

/// `folkbok serve`: parses the flags into an `AppConfig` (whose defaults are the only ones) and
/// runs the composed server until a signal.
enum ServeCommand {
    /// Flags that take a value.
    static let valued: Set<String> = [
        "socket", "data", "customers",
        "shards", "keep-snapshots", "snapshot-every", "recover", "log-segment-bytes",
        "max-line", "loops", "max-connections", "max-connection-rate", "max-input-memory", "line-timeout",
        "audit-retention", "audit-sync", "stats", "stats-threshold", "export-ttl",
        "log-format", "log-level", "metrics-listen",
        "replication-listen", "replica-of", "replication-uids", "sync-replicas", "replication-key",
        "catchup-snapshot",
    ]

    static func run(_ words: ArraySlice<String>) {
        let args: Arguments
        do { args = try Arguments(words, valued: valued, boolean: ["help", "resync"]) } catch {
            Usage.fail(error.message, usage: Usage.serve)
        }
        if args.switches.contains("help") { return FileOut.stdout.write(Usage.serve + "\n") }
        guard args.positional.isEmpty else { Usage.fail("serve takes no arguments", usage: Usage.serve) }
        var config: AppConfig
        do { config = try configuration(args) } catch { Usage.fail(error.message, usage: Usage.serve) }
        let logger = Logger(level: config.logLevel, format: config.logFormat)
        // systemd: the socket handed in by socket activation (served instead of --socket), and
        // where to say READY=1 and STOPPING=1.
        do { config.server.inheritedListener = try SocketActivation.listener() } catch { fail(error, logger) }
        config.notifySocket = ProcessInfo.processInfo.environment["NOTIFY_SOCKET"]

        let app: App
        do { app = try App(config: config, logger: logger) } catch { fail(error, logger) }
        // The hint names demo identities: only for a person at a terminal, never into a log.
        if config.servesDemo && config.logFormat == .text && isatty(1) == 1 {
            FileOut.stdout.write(demoHint(socketPath: app.socketPath))
        }
        app.run()
        exit(0)
    }

    /// `AppConfig()` with the given flags applied, each checked as it is read.
    static func configuration(_ args: Arguments) throws(Arguments.UsageError) -> AppConfig {
        var config = AppConfig()
        let environment = ProcessInfo.processInfo.environment

        // Where.
        config.server.socketPath = args.options["socket"] ?? environment["FOLKBOK_SOCKET"] ?? config.server.socketPath
        config.dataDirectory = args.options["data"] ?? config.dataDirectory
        config.customersPath = args.options["customers"]

        // Storage.
        config.shards = try args.int("shards", in: 1...1024, "--shards must be 1 to 1024") ?? config.shards
        config.keepSnapshots =
            try args.int("keep-snapshots", in: 1..., "--keep-snapshots must be at least 1") ?? config.keepSnapshots
        if let bytes = try args.bytes("log-segment-bytes") {
            guard bytes >= 64 << 10 else {
                throw Arguments.UsageError(message: "--log-segment-bytes must be at least 64K")
            }
            config.logSegmentBytes = bytes
        }
        if let every = args.options["snapshot-every"] {
            (config.snapshotEveryWrites, config.snapshotEverySeconds) = try SnapshotSchedule.parse(every)
        }
        config.truncateCorruptLog =
            try args.choice("recover", ["truncate-log"], "--recover takes only truncate-log") != nil

        // Connections.
        config.server.maxLine =
            try args.int("max-line", in: 64..., "--max-line must be at least 64") ?? config.server.maxLine
        config.server.loops = try args.int("loops", in: 1...256, "--loops must be 1 to 256") ?? config.server.loops
        config.server.maxConnections =
            try args.int("max-connections", in: 1..., "--max-connections must be at least 1")
            ?? config.server.maxConnections
        config.server.maxConnectionRate =
            try args.int("max-connection-rate", in: 0..., "--max-connection-rate must be 0 (no limit) or more")
            ?? config.server.maxConnectionRate
        config.server.maxInputMemory = try args.bytes("max-input-memory") ?? config.server.maxInputMemory
        guard config.server.maxInputMemory >= config.server.maxLine else {
            throw Arguments.UsageError(message: "--max-input-memory must be at least --max-line")
        }
        if let seconds = try args.int("line-timeout", in: 1..., "--line-timeout must be at least 1 second") {
            config.server.lineTimeoutSeconds = Double(seconds)
        }

        // Access log and statistics.
        config.auditRetentionDays =
            try args.int(
                "audit-retention", in: AuditLog.minimumRetentionDays...,
                "--audit-retention must be at least \(AuditLog.minimumRetentionDays) days (five years)")
            ?? config.auditRetentionDays
        if let sync = try args.choice("audit-sync", ["strict", "batched"], "--audit-sync takes strict or batched") {
            config.strictAudit = sync == "strict"
        }
        if let stats = try args.choice("stats", ["on", "off"], "--stats takes on or off") {
            config.countStatistics = stats == "on"
        }
        if let threshold = try args.int("stats-threshold", in: 3..., "--stats-threshold must be at least 3") {
            config.statsThreshold = SuppressionThreshold(UInt64(threshold))!
        }
        if let ttl = try args.int("export-ttl", in: 1..., "--export-ttl must be at least 1 second") {
            config.exportTTLSeconds = Int64(ttl)
        }

        // Replication.
        config.replicationListen = args.options["replication-listen"]
        config.replicaOf = args.options["replica-of"]
        if let uids = args.options["replication-uids"] {
            config.replicationUIDs = try uids.split(separator: ",").map {
                (text) throws(Arguments.UsageError) -> UInt32 in
                guard let uid = UInt32(text) else {
                    throw Arguments.UsageError(message: "--replication-uids takes uids separated by commas")
                }
                return uid
            }
        }
        config.resync = args.switches.contains("resync")
        config.syncReplicas = try args.int("sync-replicas", in: 0...16, "--sync-replicas must be 0 to 16") ?? 0
        if config.syncReplicas > 0 && config.replicationListen == nil {
            throw Arguments.UsageError(message: "--sync-replicas needs --replication-listen")
        }
        if config.resync && config.replicaOf == nil {
            throw Arguments.UsageError(message: "--resync needs --replica-of")
        }
        config.replicationKey = args.options["replication-key"]
        if let records = try args.int(
            "catchup-snapshot", in: 1...Int.max, "--catchup-snapshot must be a number of records, at least 1")
        {
            if config.replicationListen == nil {
                throw Arguments.UsageError(message: "--catchup-snapshot needs --replication-listen")
            }
            config.catchUpSnapshotRecords = UInt64(records)
        }

        // Metrics.
        config.metricsListen = args.options["metrics-listen"]

        // Logs.
        if let format = try args.choice(
            "log-format", LogFormat.allCases.map(\.rawValue), "--log-format takes text or json")
        {
            config.logFormat = LogFormat(rawValue: format)!
        }
        if let level = try args.choice(
            "log-level", LogLevel.allCases.map(\.name), "--log-level takes debug, info, warning or error")
        {
            config.logLevel = LogLevel(name: level)!
        }

        return config
    }

    /// A start-up failure as one log line (in the chosen format), then exit 1.
    static func fail(_ error: AppStartError, _ logger: Logger) -> Never {
        logger.error("start.failed", error.description)
        exit(1)
    }

    static func demoHint(socketPath: String) -> String {
        """
        Try, in another terminal:
          swift run -c release folkbok get 19121212-1212
          swift run -c release folkbok call person.get '{"id":"191212121212","profile":"P2"}'
          echo '{"id":1,"method":"ping"}' | socat - UNIX-CONNECT:\(socketPath)

        """
    }
}

/// `--snapshot-every`: `N` or `Nw` log records, `Nm` minutes, or `off`.
enum SnapshotSchedule {
    static func parse(_ text: String) throws(Arguments.UsageError) -> (writes: UInt64?, seconds: Double?) {
        if text == "off" { return (nil, nil) }
        if text.hasSuffix("m"), let minutes = Double(text.dropLast()), minutes > 0 { return (nil, minutes * 60) }
        let digits = text.hasSuffix("w") ? String(text.dropLast()) : text
        guard let writes = UInt64(digits), writes > 0 else {
            throw Arguments.UsageError(message: "--snapshot-every takes N (log records), Nm (minutes) or off")
        }
        return (writes, nil)
    }
}
