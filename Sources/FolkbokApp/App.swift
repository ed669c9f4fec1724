import CFolkbokSys
import Dispatch
import FolkbokAudit
import FolkbokEngine
import FolkbokModel
import FolkbokProtocol
import FolkbokServer
import FolkbokStats
import FolkbokStorage
import Foundation
import Glibc

/// The composed server: customers, persistence, engine, access log, statistics, the socket
/// server and its upkeep threads, built from one `AppConfig`.
///
/// Guarantees: `init` either returns a server that is listening (its data recovered, the demo
/// stored when asked) or throws `AppStartError` with a sentence for the operator; `run` serves
/// until `requestShutdown` (or one of the given signals), then drains, writes the final
/// statistics and data snapshots, closes the logs and returns. Upkeep runs on the injected
/// clock, so tests can advance time instead of sleeping.
public final class App: Sendable {
    public let config: AppConfig
    public let logger: Logger
    let clock: any UpkeepClock
    let persistence: Persistence
    let auditLog: AuditLog
    let statistics: StatsLedger
    let server: Server
    let upkeep: [UpkeepThread]
    let notifier: ServiceNotifier?
    let replication: ReplicationNode

    public init(config: AppConfig, clock: any UpkeepClock = RealUpkeepClock(), logger: Logger? = nil)
        throws(AppStartError)
    {
        fb_map_large_allocations()
        let logger = logger ?? Logger(level: config.logLevel, format: config.logFormat, clockMicros: clock.micros)
        self.config = config
        self.logger = logger
        self.clock = clock
        notifier = config.notifySocket.map { ServiceNotifier(address: $0) }
        let dataDir = config.dataDirectory
        if let inherited = config.server.inheritedListener {
            do throws(ServerStartError) { _ = try Server.checkInheritedListener(inherited) } catch {
                throw AppStartError(error.description)
            }
        }

        do {
            let narrowed = try DataDirectoryPermissions.prepare(dataDir)
            if narrowed > 0 {
                logger.info(
                    "data.narrowed", "narrowed \(narrowed) files and directories under \(dataDir) to owner-only access",
                    ["count": .int(narrowed), "path": .string(dataDir)])
            }
        } catch { throw AppStartError(error.description) }
        let directory = try CustomersLoader.load(
            path: config.resolvedCustomersPath, createDemo: config.servesDemo, logger: logger)

        if config.resync { try Resync.discardRegister(in: dataDir, logger: logger) }
        let replicationSetup = try ReplicationSetup(config)
        if let endpoint = replicationSetup.primary, let primary = config.replicaOf,
            SnapshotCopy.registerIsEmpty(dataDir)
        {
            SnapshotCopy.fetch(from: endpoint, address: primary, into: dataDir, logger: logger)
        }
        var storage = PersistenceConfig(directory: dataDir)
        storage.keepSnapshots = config.keepSnapshots
        storage.segmentBytes = config.logSegmentBytes
        storage.truncateCorruptLog = config.truncateCorruptLog
        let storageConfig = storage, shards = config.shards
        let opened = blockingResult { () async throws(StartupError) in
            try await Persistence.open(storageConfig, shardCount: shards) { logger.info("recovery.progress", $0) }
        }
        let report: StartupReport
        switch opened {
        case .success(let value): (persistence, report) = value
        case .failure(let error): throw AppStartError("cannot start: \(error.description)")
        }
        let epochs: EpochStore
        do { epochs = try EpochStore(directory: dataDir, fs: RealFileSystem()) } catch {
            throw (error as? AppStartError) ?? AppStartError("cannot read the epoch in \(dataDir): \(error)")
        }
        replication = ReplicationNode(
            config: config, setup: replicationSetup, persistence: persistence, epochs: epochs, logger: logger)
        var service = ServiceConfig(
            customers: directory, clock: { [micros = clock.micros] in micros() / 1_000_000 },
            clockMicros: clock.micros)
        service.strictAudit = config.strictAudit
        service.statsThreshold = config.statsThreshold
        service.exportTTLSeconds = config.exportTTLSeconds
        service.events = { ServiceEventLog.write($0, to: logger) }
        service.replication = replication
        do {
            // Batched: no answer waits for the sync, so the writer gathers 2 ms of entries per sync.
            auditLog = try AuditLog.open(
                directory: dataDir + "/audit", fs: RealFileSystem(), retentionDays: config.auditRetentionDays,
                clock: clock.micros, gatherSeconds: config.strictAudit ? 0 : 0.002)
        } catch {
            throw AppStartError("cannot open the access log in \(dataDir)/audit: \(error)")
        }
        let retention = AccessLogRetention.start(log: auditLog, clock: clock, logger: logger)
        let exports: ExportStore
        do {
            statistics = try StatsLedger.open(
                directory: dataDir + "/stats", fs: RealFileSystem(), customers: directory, audit: auditLog,
                counting: config.countStatistics
            ) { logger.info("stats.open", $0) }
            exports = try ExportStore.open(directory: dataDir + "/exports", fs: RealFileSystem()) {
                logger.info("stats.exports.open", $0)
            }
        } catch {
            retention.stop()
            throw AppStartError("cannot open the statistics in \(dataDir): \(error)")
        }
        let statsUpkeep = StatisticsUpkeep.start(
            statistics: statistics, exports: exports, audit: auditLog, clock: clock, logger: logger)
        upkeep = [retention, statsUpkeep]
        App.logRecovery(report, logger: logger)
        if report.wasEmpty && config.servesDemo && config.replicaOf == nil {
            try DemoLoader.store(
                into: persistence, today: CivilDate(unixSeconds: service.clock()), dataDir: dataDir, logger: logger)
        }
        persistence.scheduleSnapshots(
            everyWrites: config.snapshotEveryWrites, everySeconds: config.snapshotEverySeconds
        ) {
            logger.error("snapshot.failed", $0)
        }

        let handler = Service(
            config: service, engine: persistence.engine, gauges: ServerGauges(startedAt: service.clock()),
            persistence: persistence, audit: auditLog, statistics: statistics, exports: exports)
        if let spec = config.metricsListen {
            do {
                let metrics = try MetricsListener(listen: spec, service: handler)
                logger.info("metrics.listening", "serving metrics at \(metrics.url)", ["url": .string(metrics.url)])
            } catch {
                for thread in upkeep { thread.stop() }
                throw AppStartError(error.description)
            }
        }
        do throws(ServerStartError) { server = try Server(service: handler, config: config.server) } catch {
            for thread in upkeep { thread.stop() }
            throw AppStartError(error.description)
        }
        do throws(AppStartError) { try replication.start(config: config, setup: replicationSetup) } catch {
            for thread in upkeep { thread.stop() }
            throw error
        }
        let served =
            config.server.inheritedListener == nil ? server.socketPath : "\(server.socketPath) (handed in by systemd)"
        logger.info(
            "listening",
            "folkbok \(folkbokVersion) listening on \(served) "
                + "(\(config.server.loops) event loops, \(config.shards) shards, data in \(dataDir))",
            [
                "socket": .string(server.socketPath),
                "activated": .string(config.server.inheritedListener == nil ? "no" : "yes"),
                "loops": .int(config.server.loops), "shards": .int(config.shards),
                "data": .string(dataDir), "version": .string(folkbokVersion),
            ])
    }

    /// Serves until shutdown has drained, then stops the upkeep, writes the final snapshots and
    /// closes every log. `signals` (SIGTERM and SIGINT by default) request the shutdown.
    public func run(stoppingOn signals: [Int32] = [SIGTERM, SIGINT]) {
        watchShutdownSignals(signals)
        notify("READY=1")
        buildSearchIndex()
        server.run()
        for thread in upkeep { thread.stop() }
        replication.stop()
        let saved = blockingResult { [statistics, auditLog] () async throws in
            try await statistics.writeSnapshot(audit: auditLog)
        }
        if case .failure(let error) = saved {
            logger.error(
                "stats.snapshot.failed",
                "the final statistics snapshot failed (the access log still holds every lookup): \(error)")
        }
        statistics.close()
        auditLog.close()
        let closed = blockingResult { [persistence] () async throws in try await persistence.close(finalSnapshot: true)
        }
        if case .failure(let error) = closed {
            logger.error("snapshot.failed", "the final snapshot failed (the log still holds every change): \(error)")
        }
        logger.info("stopped", "folkbok stopped")
    }

    /// Catches `signals` with a handler that hands them to a thread of their own, which
    /// requests the shutdown. The handler replaces the default action in one step (no moment
    /// in which the signal is ignored and lost, as with `SIG_IGN` before a dispatch source
    /// is armed); a signal that comes before `run` still ends the process as by default.
    private func watchShutdownSignals(_ signals: [Int32]) {
        let fd = signals.withUnsafeBufferPointer { fb_catch_shutdown_signals($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else {
            logger.error(
                "signals.failed", "cannot catch SIGTERM and SIGINT (errno \(errno)): they end the server at once")
            return
        }
        Thread.detachNewThread { [self] in
            var number: UInt8 = 0
            while true {
                let n = read(fd, &number, 1)
                if n == 1 {
                    requestShutdown()
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// Builds the search index recovery left deferred (and trims the shards), beside serving:
    /// lookups are answered meanwhile, and a search or write waits on its shard until the
    /// shard's index is built. Logs `search.ready` when every shard's is.
    private func buildSearchIndex() {
        let engine = persistence.engine, logger = logger
        Task(priority: .utility) {
            let started = ContinuousClock.now
            await engine.trimAndRebuildSearchIndex()
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            logger.info(
                "search.ready", "search index ready in \(String(format: "%.2f", seconds)) s",
                ["seconds": .seconds(seconds)])
        }
    }

    /// Starts the shutdown: no new connections, every request read is answered. Safe from any thread.
    public func requestShutdown() {
        logger.info("stopping", "stopping: no new connections, answering what was read")
        notify("STOPPING=1")
        replication.stopWaiting()
        server.requestShutdown()
    }

    /// Where clients connect (the inherited socket's own path under socket activation).
    public var socketPath: String { server.socketPath }

    private func notify(_ state: String) {
        guard let notifier, let failure = notifier.send(state) else { return }
        logger.warning(
            "notify.failed", "cannot tell systemd \(state) through NOTIFY_SOCKET: \(failure)", ["state": .string(state)]
        )
    }

    private static func logRecovery(_ report: StartupReport, logger: Logger) {
        let seconds = String(format: "%.2f", report.seconds)
        if let snapshot = report.snapshot {
            logger.info(
                "recovered",
                "recovered \(snapshot.count) persons from \(snapshot.path) and \(report.replayed) log records "
                    + "(lsn \(report.lastLSN)) in \(seconds) s",
                [
                    "persons": .int(snapshot.count), "snapshot": .string(snapshot.path),
                    "replayed": .int(Int(report.replayed)),
                    "lsn": .int(Int(report.lastLSN)), "seconds": .seconds(report.seconds),
                ])
        } else if !report.wasEmpty {
            logger.info(
                "recovered", "recovered \(report.replayed) log records (lsn \(report.lastLSN)) in \(seconds) s",
                [
                    "replayed": .int(Int(report.replayed)), "lsn": .int(Int(report.lastLSN)),
                    "seconds": .seconds(report.seconds),
                ])
        }
    }
}

/// Why the server could not start; the description is the operator's sentence.
public struct AppStartError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
