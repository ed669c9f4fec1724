import Dispatch
import FolkbokAudit
import FolkbokDemo
import FolkbokEngine
import FolkbokModel
import FolkbokProtocol
import FolkbokServer
import FolkbokStats
import FolkbokStorage
import Foundation
import Glibc
import CFolkbokSys

/// `folkbok serve`: loads customers and the population, then runs the server until a signal.
enum ServeCommand {
    static func run(_ words: ArraySlice<String>) {
        fb_map_large_allocations()
        let args: Arguments
        do {
            args = try Arguments(words, valued: ["socket", "data", "customers", "shards", "max-line", "loops", "max-connections", "max-connection-rate", "max-input-memory", "line-timeout", "stats-threshold", "export-ttl",
                                                 "recover", "snapshot-every", "keep-snapshots", "audit-retention", "audit-sync", "stats", "metrics-listen"],
                                 boolean: ["help"])
        } catch { Usage.fail(error.message, usage: Usage.serve) }
        if args.switches.contains("help") { return FileOut.stdout.write(Usage.serve + "\n") }
        guard args.positional.isEmpty else { Usage.fail("serve takes no arguments", usage: Usage.serve) }

        let socketPath = args.options["socket"] ?? ProcessInfo.processInfo.environment["FOLKBOK_SOCKET"] ?? "./folkbok.sock"
        let dataDir = args.options["data"] ?? "Snapshots"
        let shards: Int, loops: Int, maxLine: Int, maxConnections: Int, maxConnectionRate: Int, maxInputMemory: Int, lineTimeout: Int, keepSnapshots: Int, auditRetentionDays: Int, threshold: Int, ttl: Int
        let schedule: (writes: UInt64?, seconds: Double?)
        do throws(Arguments.UsageError) {
            auditRetentionDays = try args.int("audit-retention") ?? AuditLog.minimumRetentionDays
            guard auditRetentionDays >= AuditLog.minimumRetentionDays else {
                throw Arguments.UsageError(message: "--audit-retention must be at least \(AuditLog.minimumRetentionDays) days (five years)")
            }
            guard ["on", "off"].contains(args.options["stats"] ?? "on") else {
                throw Arguments.UsageError(message: "--stats takes on or off")
            }
            guard ["strict", "batched"].contains(args.options["audit-sync"] ?? "strict") else {
                throw Arguments.UsageError(message: "--audit-sync takes strict or batched")
            }
            keepSnapshots = try args.int("keep-snapshots") ?? 2
            guard keepSnapshots >= 1 else { throw Arguments.UsageError(message: "--keep-snapshots must be at least 1") }
            schedule = try SnapshotSchedule.parse(args.options["snapshot-every"] ?? "1000000")
            if let mode = args.options["recover"], mode != "truncate-log" {
                throw Arguments.UsageError(message: "--recover takes only truncate-log")
            }
            shards = try args.int("shards") ?? max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
            maxLine = try args.int("max-line") ?? (1 << 20)
            loops = try args.int("loops") ?? ProcessInfo.processInfo.activeProcessorCount
            guard (1...256).contains(loops) else { throw Arguments.UsageError(message: "--loops must be 1 to 256") }
            maxConnections = try args.int("max-connections") ?? 10_000
            maxConnectionRate = try args.int("max-connection-rate") ?? 2_000
            guard maxConnectionRate >= 0 else { throw Arguments.UsageError(message: "--max-connection-rate must be 0 (no limit) or more") }
            maxInputMemory = try args.bytes("max-input-memory") ?? (256 << 20)
            lineTimeout = try args.int("line-timeout") ?? 60
            guard maxConnections >= 1 else { throw Arguments.UsageError(message: "--max-connections must be at least 1") }
            guard maxInputMemory >= maxLine else { throw Arguments.UsageError(message: "--max-input-memory must be at least --max-line") }
            guard lineTimeout >= 1 else { throw Arguments.UsageError(message: "--line-timeout must be at least 1 second") }
            threshold = try args.int("stats-threshold") ?? 5
            ttl = try args.int("export-ttl") ?? 604_800
            guard (1...1024).contains(shards) else { throw Arguments.UsageError(message: "--shards must be 1 to 1024") }
            guard maxLine >= 64 else { throw Arguments.UsageError(message: "--max-line must be at least 64") }
            guard threshold >= 3 else { throw Arguments.UsageError(message: "--stats-threshold must be at least 3") }
            guard ttl >= 1 else { throw Arguments.UsageError(message: "--export-ttl must be at least 1 second") }
        } catch { Usage.fail(error.message, usage: Usage.serve) }

        do {
            let narrowed = try DataDirectoryPermissions.prepare(dataDir)
            if narrowed > 0 { log("narrowed \(narrowed) files and directories under \(dataDir) to owner-only access") }
        } catch { die(error.description) }
        let customersPath = args.options["customers"] ?? "\(dataDir)/customers.json"
        let demo = args.options["customers"] == nil
        let directory = loadCustomers(path: customersPath, createDemo: demo)

        var storage = PersistenceConfig(directory: dataDir)
        storage.keepSnapshots = keepSnapshots
        storage.truncateCorruptLog = args.options["recover"] == "truncate-log"
        let storageConfig = storage
        let opened = blockingResult { () async throws(StartupError) in
            try await Persistence.open(storageConfig, shardCount: shards) { log($0) }
        }
        let (persistence, report): (Persistence, StartupReport)
        switch opened {
        case .success(let value): (persistence, report) = value
        case .failure(let error): die("cannot start: \(error.description)")
        }
        let engine = persistence.engine
        var config = ServiceConfig(customers: directory)
        config.strictAudit = args.options["audit-sync"] != "batched"
        config.statsThreshold = SuppressionThreshold(UInt64(threshold))!
        config.exportTTLSeconds = Int64(ttl)
        let auditLog: AuditLog
        do {
            // Batched: no answer waits for the sync, so the writer gathers 2 ms of entries per sync.
            auditLog = try AuditLog.open(directory: dataDir + "/audit", fs: RealFileSystem(), retentionDays: auditRetentionDays,
                                         clock: ServiceConfig.realMicros, gatherSeconds: config.strictAudit ? 0 : 0.002)
        } catch {
            die("cannot open the access log in \(dataDir)/audit: \(error)")
        }
        let retention = AccessLogRetention(log: auditLog)
        let statistics: StatsLedger, exports: ExportStore
        do {
            statistics = try StatsLedger.open(directory: dataDir + "/stats", fs: RealFileSystem(), customers: directory, audit: auditLog,
                                              counting: args.options["stats"] != "off") { log($0) }
            exports = try ExportStore.open(directory: dataDir + "/exports", fs: RealFileSystem()) { log($0) }
        } catch {
            die("cannot open the statistics in \(dataDir): \(error)")
        }
        let statsUpkeep = StatisticsUpkeep(statistics: statistics, exports: exports, audit: auditLog)
        let today = CivilDate(unixSeconds: config.clock())
        if let snapshot = report.snapshot {
            log("recovered \(snapshot.count) persons from \(snapshot.path) and \(report.replayed) log records "
                + "(lsn \(report.lastLSN)) in \(String(format: "%.2f", report.seconds)) s")
        } else if !report.wasEmpty {
            log("recovered \(report.replayed) log records (lsn \(report.lastLSN)) in \(String(format: "%.2f", report.seconds)) s")
        }
        if report.wasEmpty && demo {
            let started = monotonicSeconds()
            let population = DemoPopulation.make(today: today)
            let mutations = population.map { Mutation.upsert(IdentityKey($0.id)!, $0) }
            let loaded = blockingResult { () async throws -> SnapshotInfo in
                _ = try await engine.commit(mutations)
                await engine.trim()
                return try await persistence.snapshot()
            }
            guard case .success = loaded else { die("cannot store the demo population in \(dataDir): \(loaded)") }
            fb_release_free_memory()
            log("loaded the demo population: \(population.count) persons in \(String(format: "%.2f", monotonicSeconds() - started)) s")
        }
        persistence.scheduleSnapshots(everyWrites: schedule.writes, everySeconds: schedule.seconds) { log($0) }

        let service = Service(config: config, engine: engine, gauges: ServerGauges(startedAt: config.clock()), persistence: persistence, audit: auditLog,
                              statistics: statistics, exports: exports)
        var serverConfig = ServerConfig(socketPath: socketPath)
        serverConfig.maxLine = maxLine
        serverConfig.loops = loops
        serverConfig.maxConnections = maxConnections
        serverConfig.maxConnectionRate = maxConnectionRate
        serverConfig.maxInputMemory = maxInputMemory
        serverConfig.lineTimeoutSeconds = Double(lineTimeout)
        let server: Server
        do { server = try Server(service: service, config: serverConfig) } catch { die(error.description) }
        if let spec = args.options["metrics-listen"] {
            do { log("serving metrics at \(try MetricsListener(listen: spec, service: service).url)") } catch { die(error.description) }
        }

        let signals = [SIGTERM, SIGINT].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { server.requestShutdown() }
            source.resume()
            return source
        }
        log("folkbok \(folkbokVersion) listening on \(socketPath) (\(loops) event loops, \(shards) shards, data in \(dataDir))")
        if demo {
            FileOut.stdout.write("""
            Try, in another terminal:
              swift run -c release folkbok get 19121212-1212
              swift run -c release folkbok call person.get '{"id":"191212121212","profile":"P2"}'
              echo '{"id":1,"method":"ping"}' | socat - UNIX-CONNECT:\(socketPath)

            """)
        }
        server.run()
        withExtendedLifetime(signals) {}
        retention.stop()
        statsUpkeep.stop()
        let saved = blockingResult { () async throws in try await statistics.writeSnapshot(audit: auditLog) }
        if case .failure(let error) = saved { log("the final statistics snapshot failed (the access log still holds every lookup): \(error)") }
        statistics.close()
        auditLog.close()
        let closed = blockingResult { () async throws in try await persistence.close(finalSnapshot: true) }
        if case .failure(let error) = closed { log("the final snapshot failed (the log still holds every change): \(error)") }
        log("folkbok stopped")
        exit(0)
    }

    static func loadCustomers(path: String, createDemo: Bool) -> CustomerDirectory {
        if createDemo && !FileManager.default.fileExists(atPath: path) {
            let file = CustomersFile(customers: DemoCustomers.make(uid: getuid()))
            guard let bytes = try? file.encoded(),
                  FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: Int(FileModes.file)]) else {
                die("cannot write the demo customers file \(path)")
            }
            log("wrote the demo customers to \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { die("cannot read the customers file \(path)") }
        do {
            return try CustomersFile.parse(Array(data))
        } catch {
            die("customers file \(path): \(error.description)")
        }
    }
}

/// Keeps the access log on a thread of its own: seals finished segments each second (so their
/// entries leave memory even when no request waits for durability) and removes days past
/// retention at start and then hourly.
final class AccessLogRetention: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(log: AuditLog) {
        Thread.detachNewThread { [stopped, finished] in
            defer { finished.signal() }
            for second in 0... {
                try? log.resumeAfterFailure()
                log.sealFinishedSegments()
                if second % 3600 == 0 {
                    do {
                        let removed = try log.removeExpired()
                        if !removed.isEmpty { FileOut.stderr.write("folkbok: access log retention removed \(removed.count) files\n") }
                    } catch {
                        FileOut.stderr.write("folkbok: access log retention failed: \(error)\n")
                    }
                }
                if stopped.wait(timeout: .now() + 1) != .timedOut { break }
            }
        }
    }

    /// Stops the thread and waits until it has ended.
    func stop() {
        stopped.signal()
        finished.wait()
    }
}

/// Keeps the statistics: a counters snapshot each minute when something was counted (so a
/// restart recounts little of the access log), and expired exports deleted each second.
final class StatisticsUpkeep: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(statistics: StatsLedger, exports: ExportStore, audit: AuditLog) {
        Thread.detachNewThread { [stopped, finished] in
            var lastSaved = statistics.countedSeq
            var tick = 0
            while stopped.wait(timeout: .now() + 1) == .timedOut {
                try? statistics.resumeAfterFailure()
                do { try exports.expire(now: ServiceConfig.realMicros()) } catch { log("deleting expired statistics exports failed: \(error)") }
                tick += 1
                guard tick % 60 == 0, statistics.countedSeq != lastSaved else { continue }
                lastSaved = statistics.countedSeq
                let saved = blockingResult { () async throws in try await statistics.writeSnapshot(audit: audit) }
                if case .failure(let error) = saved { log("the statistics snapshot failed (it is retried): \(error)") }
            }
            finished.signal()
        }
    }

    func stop() {
        stopped.signal()
        finished.wait()
    }
}

func log(_ message: String) { FileOut.stderr.write("folkbok: \(message)\n") }

func die(_ message: String, code: Int32 = 1) -> Never {
    FileOut.stderr.write("folkbok: \(message)\n")
    exit(code)
}

/// Runs async work to completion from synchronous start-up or shutdown code (outside the event loop).
func blockingResult<T: Sendable, E: Error>(_ body: @escaping @Sendable () async throws(E) -> T) -> Result<T, E> {
    let box = ResultBox<T, E>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do throws(E) { box.value = .success(try await body()) } catch { box.value = .failure(error) }
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<T, E: Error>: @unchecked Sendable {
    var value: Result<T, E>?
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
