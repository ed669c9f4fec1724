import FolkbokDemo
import FolkbokModel
import Foundation
import Glibc

/// `folkbok-bench replication` (opt-in): issue #16's targets measured on real `folkbok serve`
/// processes, a primary (`--replication-listen`) and a replica (`--replica-of`) on Unix sockets,
/// each with its own data directory, the load generator on the same machine.
///
/// Guarantees: every figure comes from answers of the real binaries (acknowledged writes, the
/// replica's `person.get` and `admin.info`); every server it starts is stopped before it returns;
/// its directories are removed.
struct ReplicationBench {
    var runs = 3
    var seconds = 5.0
    var targetRate = 10_000.0
    var connections = 50
    var importPersons = 1_000_000
    var parts: Set<String> = ["lag", "sync", "catchup", "fresh", "failover"]
    /// `--catchup-snapshot N` for the catch-up primary (nil: its default rule; a huge N: log shipping only).
    var catchUpSnapshot: String?

    init(arguments: ArraySlice<String>) {
        var rest = arguments
        while let flag = rest.popFirst() {
            switch flag {
            case "--runs": runs = max(1, Int(rest.popFirst() ?? "") ?? runs)
            case "--seconds": seconds = Double(rest.popFirst() ?? "") ?? seconds
            case "--rate": targetRate = Double(rest.popFirst() ?? "") ?? targetRate
            case "--persons": importPersons = Int(rest.popFirst() ?? "") ?? importPersons
            case "--catchup-snapshot": catchUpSnapshot = rest.popFirst()
            case "--only": parts = Set((rest.popFirst() ?? "").split(separator: ",").map(String.init))
            default: print("unknown flag \(flag)")
            }
        }
    }

    let binary = siblingBinary("folkbok")
    let base = NSTemporaryDirectory() + "folkbok-repl-\(getpid())"
    let ids = DemoPopulation.make(today: CivilDate(year: 2026, month: 1, day: 1)!).map(\.id.value)

    func run() -> Bool {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("build the server first (swift build -c release): no \(binary)")
            return false
        }
        defer { try? FileManager.default.removeItem(atPath: base) }
        print(
            "folkbok-bench replication: \(runs) runs, \(connections) writer connections (contact.set, 1 in flight each), "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared by the primary, the replica and the load generator"
        )
        do {
            if parts.contains("lag") { try lag() }
            if parts.contains("sync") { try sync() }
            if parts.contains("catchup") || parts.contains("fresh") { try catchUpAndFresh() }
            if parts.contains("failover") { try failover() }
        } catch {
            print("replication bench failed: \(error)")
            return false
        }
        return true
    }

    // MARK: servers

    func directory(_ name: String) -> String {
        let dir = base + "/" + name
        try? FileManager.default.removeItem(atPath: dir)
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func start(_ dir: String, _ arguments: [String]) throws -> ChaosServer {
        try ChaosServer(
            binary: binary, dataDir: dir + "/data", socketPath: dir + "/folkbok.sock", logPath: dir + "/server.log",
            arguments: arguments, timeoutSeconds: 300)
    }

    func primary(_ dir: String, _ extra: [String] = []) throws -> ChaosServer {
        try start(dir, ["--replication-listen", dir + "/repl.sock"] + extra)
    }

    func replica(_ dir: String, of primaryDir: String) throws -> ChaosServer {
        try start(dir, ["--replica-of", primaryDir + "/repl.sock"])
    }

    func info(_ dir: String) -> [String: Int64] {
        guard let op = ChaosConnection.operator(dir + "/folkbok.sock"), case .result(let value) = op.call("admin.info"),
            let object = value.objectValue
        else { return [:] }
        var out: [String: Int64] = [:]
        for key in ["lsn", "appliedLsn"] { out[key] = object[key]?.int64Value }
        out["primaryLsn"] = object["primary"]?.objectValue?["lsn"]?.int64Value
        return out
    }

    func lsn(_ dir: String, _ key: String) -> Int64 { info(dir)[key] ?? -1 }

    /// Waits until the replica in `replicaDir` has applied the primary's current LSN; answers the seconds waited.
    @discardableResult
    func waitCaughtUp(_ replicaDir: String, primaryDir: String, timeout: Double = 600) throws -> Double {
        let target = lsn(primaryDir, "lsn")
        let started = now()
        while now() - started < timeout {
            if lsn(replicaDir, "appliedLsn") >= target { return now() - started }
            usleep(2_000)
        }
        throw ChaosServer.StartFailure(description: "the replica did not reach LSN \(target)")
    }

    // MARK: writers

    static let consent = "\"consent\":{\"source\":\"1177\",\"date\":\"2026-01-02\"}"

    /// `connections` writers of contact.set on their own demo persons for `seconds`, each paced to
    /// `rate / connections` per second (nil: as fast as answers come); answers the acknowledged writes/s.
    func writeLoad(_ socket: String, seconds: Double, rate: Double?) -> Double {
        let count = Counter()
        let ids = self.ids, connections = self.connections
        let deadline = now() + seconds
        let started = now()
        runThreads(connections) { w in
            guard let c = ChaosConnection.customer(socket, customer: "SE2321000016-0001", user: "bench-\(w)") else {
                return
            }
            var k = 0
            while now() < deadline {
                if let rate {
                    let due = started + Double(k) * Double(connections) / rate
                    let wait = due - now()
                    if wait > 0 { usleep(UInt32(wait * 1e6)) }
                }
                let id = ids[(w + (k % 200) * connections) % (ids.count - 1000)]
                guard
                    case .result = c.call(
                        "contact.set", "{\"id\":\"\(id)\",\"email\":\"w\(w)n\(k)@example.se\",\(Self.consent)}")
                else { return }
                count.add(1)
                k += 1
            }
        }
        return Double(count.value) / (now() - started)
    }

    // MARK: 1. lag

    func lag() throws {
        var rates: [Double] = [], p50s: [Double] = [], p99s: [Double] = [], maxes: [Double] = [], samples = 0
        for _ in 0..<runs {
            let p = directory("lag-p"), r = directory("lag-r")
            let primary = try self.primary(p)
            defer { primary.stop() }
            let replica = try self.replica(r, of: p)
            defer { replica.stop() }
            try waitCaughtUp(r, primaryDir: p)
            let lags = Samples()
            let probing = Flag()
            let ids = self.ids
            let (ps, rs) = (p + "/folkbok.sock", r + "/folkbok.sock")
            let probe = Thread {
                guard let onPrimary = ChaosConnection.customer(ps, customer: "SE2321000016-0001", user: "probe"),
                    let onReplica = ChaosConnection.customer(rs, customer: "SE2321000016-0001", user: "probe")
                else { return }
                // Probe persons whose contact a care session sees (not the protected ones).
                var probes: [String] = []
                for id in ids.suffix(600).reversed() where probes.count < 200 {
                    guard
                        case .result = onPrimary.call(
                            "contact.set", "{\"id\":\"\(id)\",\"email\":\"seen@example.se\",\(Self.consent)}"),
                        case .result(let person) = onPrimary.call("person.get", "{\"id\":\"\(id)\"}"),
                        person.objectValue?["contact"]?.objectValue?["email"]?.stringValue == "seen@example.se"
                    else { continue }
                    probes.append(id)
                }
                var k = 0
                while !probing.isSet, !probes.isEmpty {
                    let id = probes[k % probes.count]
                    let email = "probe\(k)@example.se"
                    guard
                        case .result = onPrimary.call(
                            "contact.set", "{\"id\":\"\(id)\",\"email\":\"\(email)\",\(Self.consent)}")
                    else { return }
                    let acknowledged = now()
                    while now() - acknowledged < 10 {
                        if case .result(let person) = onReplica.call("person.get", "{\"id\":\"\(id)\"}"),
                            person.objectValue?["contact"]?.objectValue?["email"]?.stringValue == email
                        {
                            break
                        }
                        usleep(100)
                    }
                    lags.add(now() - acknowledged)
                    k += 1
                    usleep(5_000)
                }
            }
            probe.start()
            rates.append(writeLoad(ps, seconds: seconds, rate: targetRate))
            probing.set()
            while probe.isExecuting { usleep(1_000) }
            let sorted = lags.sorted
            guard !sorted.isEmpty else { continue }
            samples += sorted.count
            p50s.append(sorted[sorted.count / 2] * 1000)
            p99s.append(sorted[min(sorted.count - 1, sorted.count * 99 / 100)] * 1000)
            maxes.append(sorted.last! * 1000)
        }
        let ms = { (v: Double) in String(format: "%.1f ms", v) }
        print(
            "1. lag at up to \(Int(targetRate)) writes/s: primary took \(Summary(values: rates).cell(thousands)) acknowledged contact.set/s; "
                + "ack on primary → the replica's person.get shows it (\(samples) probes): p50 \(Summary(values: p50s).cell(ms)), "
                + "p99 \(Summary(values: p99s).cell(ms)), max \(Summary(values: maxes).cell(ms))")
    }

    // MARK: 4. sync

    func sync() throws {
        var plain: [Double] = [], synced: [Double] = [], asyncWithReplica: [Double] = []
        for _ in 0..<runs {
            do {
                let p = directory("plain")
                let server = try start(p, [])
                defer { server.stop() }
                plain.append(writeLoad(p + "/folkbok.sock", seconds: seconds, rate: nil))
            }
            for mode in ["async", "sync"] {
                let p = directory("\(mode)-p"), r = directory("\(mode)-r")
                let primary = try self.primary(p, mode == "sync" ? ["--sync-replicas", "1"] : [])
                defer { primary.stop() }
                let replica = try self.replica(r, of: p)
                defer { replica.stop() }
                try waitCaughtUp(r, primaryDir: p)
                let rate = writeLoad(p + "/folkbok.sock", seconds: seconds, rate: nil)
                if mode == "sync" { synced.append(rate) } else { asyncWithReplica.append(rate) }
            }
        }
        let ratios = zip(synced, plain).map { $0 / $1 }
        let asyncRatios = zip(synced, asyncWithReplica).map { $0 / $1 }
        print(
            "4. durable contact.set/s at \(connections) connections, as fast as answers come: without replication "
                + "\(Summary(values: plain).cell(thousands)); asynchronous with 1 replica \(Summary(values: asyncWithReplica).cell(thousands)); "
                + "--sync-replicas 1 \(Summary(values: synced).cell(thousands)); sync/without ratio per run "
                + Summary(values: ratios).cell { String(format: "%.2f×", $0) }
                + ", sync/asynchronous-with-replica ratio per run "
                + Summary(values: asyncRatios).cell { String(format: "%.2f×", $0) })
    }

    // MARK: 2. catch-up and 3. fresh replica

    func catchUpAndFresh() throws {
        let p = directory("bulk-p")
        let file = base + "/persons.ndjson"
        let generated = now()
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: binary)
        generator.arguments = ["generate", "\(importPersons)", "--seed", "7"]
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        generator.standardOutput = FileHandle(forWritingAtPath: file)
        try generator.run()
        generator.waitUntilExit()
        let lastId = try lastIdentity(file)
        print(
            "   generated \(importPersons) persons in \(String(format: "%.1f", now() - generated)) s (folkbok generate \(importPersons) --seed 7)"
        )
        let primary = try self.primary(p, catchUpSnapshot.map { ["--catchup-snapshot", $0] } ?? [])
        defer { primary.stop() }
        var freshTimes: [Double] = [], behind: Int64 = 0
        // 2. a replica that follows the demo, is stopped, and restarts with the import's records missing.
        let r = directory("bulk-r")
        var replica: ChaosServer? = try self.replica(r, of: p)
        try waitCaughtUp(r, primaryDir: p)
        replica?.stop()
        let before = lsn(p, "lsn")
        let imported = now()
        guard let op = ChaosConnection(socketPath: p + "/folkbok.sock", timeoutSeconds: 1200),
            case .result = op.call("session.open", "{\"customer\":\"operator\"}"),
            case .result = op.call("admin.import", "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"delta\"}")
        else {
            throw ChaosServer.StartFailure(description: "the import failed")
        }
        let after = lsn(p, "lsn")
        behind = after - before
        print("   imported into the primary in \(String(format: "%.1f", now() - imported)) s: LSN \(before) → \(after)")
        if parts.contains("catchup") {
            do {  // one run: a second would need the import again
                let started = now()
                replica = try self.replica(r, of: p)
                let up = now() - started
                let waited = try waitCaughtUp(r, primaryDir: p)
                let total = now() - started
                print(
                    "2. catch-up of \(behind) records: \(String(format: "%.2f", total)) s from the replica's start "
                        + "(\(String(format: "%.2f", up)) s to its first ping, then \(String(format: "%.2f", waited)) s): "
                        + "\(thousands(Double(behind) / total)) records/s (\(thousands(Double(behind) / waited)) records/s after start-up)"
                )
                replica?.stop()
                replica = nil
                // How it caught up (the servers' own account: snapshot written, copied, loaded).
                for log in [p + "/server.log", r + "/server.log"] {
                    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    for line in text.split(separator: "\n")
                    where line.contains("for replica") || line.contains("caught up") || line.contains("lacks") {
                        print("   " + line)
                    }
                }
            }
        }
        if parts.contains("fresh") {
            for _ in 0..<runs {
                let f = directory("fresh-r")
                let started = now()
                let fresh = try self.replica(f, of: p)
                defer { fresh.stop() }
                guard
                    let client = ChaosConnection.customer(
                        f + "/folkbok.sock", customer: "SE2321000016-0001", user: "fresh")
                else { continue }
                while now() - started < 120 {
                    if case .result = client.call("person.get", "{\"id\":\"\(lastId)\"}") { break }
                    usleep(2_000)
                }
                freshTimes.append(now() - started)
            }
            print(
                "3. fresh replica of a primary holding \(importPersons) imported + \(ids.count) demo persons: start → person.get of the last "
                    + "imported person of region 01 answered: \(Summary(values: freshTimes).cell { String(format: "%.2f s", $0) })"
            )
        }
    }

    func lastIdentity(_ file: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size > 1 << 20 ? size - (1 << 20) : 0)
        let tail = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        // The last person of region 01 (the bench's customer sees that region only);
        // `"id":"…"` or `"id":{"kind":…,"value":"…"}`.
        guard let line = tail.split(separator: "\n").last(where: { $0.contains("\"region\":\"01\"") }),
            let id = line.range(of: "\"id\":")
        else {
            throw ChaosServer.StartFailure(description: "no id in the last line of \(file)")
        }
        var rest = line[id.upperBound...]
        if rest.first == "{", let value = rest.range(of: "\"value\":") { rest = rest[value.upperBound...] }
        return String(rest.dropFirst().prefix { $0 != "\"" })
    }

    // MARK: 5. failover

    func failover() throws {
        var totals: [Double] = [], promotes: [Double] = []
        for _ in 0..<runs {
            let p = directory("fo-p"), r = directory("fo-r")
            let primary = try self.primary(p)
            let replica = try self.replica(r, of: p)
            defer { replica.stop() }
            try waitCaughtUp(r, primaryDir: p)
            let ps = p + "/folkbok.sock"
            let load = Thread { _ = self.writeLoad(ps, seconds: 30, rate: 2_000) }
            load.start()
            usleep(1_000_000)
            primary.kill()
            let killed = now()
            let promote = Process()
            promote.executableURL = URL(fileURLWithPath: binary)
            promote.arguments = ["promote"]
            promote.environment = ProcessInfo.processInfo.environment.merging(["FOLKBOK_SOCKET": r + "/folkbok.sock"]) {
                $1
            }
            promote.standardOutput = FileHandle.nullDevice
            let promoteStarted = now()
            try promote.run()
            promote.waitUntilExit()
            promotes.append(now() - promoteStarted)
            guard
                let client = ChaosConnection.customer(r + "/folkbok.sock", customer: "SE2321000016-0001", user: "after")
            else { continue }
            while now() - killed < 30 {
                if case .result = client.call(
                    "contact.set", "{\"id\":\"\(ids[0])\",\"email\":\"after@example.se\",\(Self.consent)}")
                {
                    break
                }
                usleep(1_000)
            }
            totals.append(now() - killed)
            while load.isExecuting { usleep(5_000) }
        }
        let s = { (v: Double) in String(format: "%.3f s", v) }
        print(
            "5. failover (async, writers at 2 k/s on the primary): kill -9 → the promoted replica acknowledges a contact.set: "
                + "\(Summary(values: totals).cell(s)) in all, of which `folkbok promote` ran \(Summary(values: promotes).cell(s)); "
                + "without it \(Summary(values: zip(totals, promotes).map { $0 - $1 }).cell(s))")
    }
}
