import FolkbokDemo
import FolkbokModel
import Foundation
import Glibc

/// `folkbok-bench hostile` (issue 18, "Connections"; opt-in, not run by CI): the real release
/// `folkbok serve` on the demo (`--audit-sync batched`, temporary data and socket), normal
/// clients (`--clients` connections of `person.get`, one in flight each, as `load` drives them)
/// measured quietly and while each `HostileClient` runs alone, in turn. Each round runs
/// quiet, stalled, quiet, pipeliner, quiet, churner; figures are medians over rounds (quiet:
/// over every quiet run). Before them, the server's memory per idle and per stalled connection.
///
/// Guarantees: prints one Markdown table of latencies and one of memory; `run` answers
/// whether every hostile kind kept the normal clients' p99 within 2× of quiet and the server
/// answered throughout (normal clients saw no failure); the data directory is removed.
struct HostileBench {
    var rounds = 3
    var seconds = 3.0
    var clients = 20
    var stalled = 200
    var idle = 1000
    /// The server's `--max-connection-rate`; nil leaves its default.
    var connectionRate: Int?

    init(arguments: ArraySlice<String>) {
        var words = arguments
        while let flag = words.popFirst() {
            let value = words.popFirst().flatMap(Double.init)
            switch (flag, value) {
            case ("--rounds", let v?): rounds = max(1, Int(v))
            case ("--seconds", let v?): seconds = v
            case ("--clients", let v?): clients = max(1, Int(v))
            case ("--stalled", let v?): stalled = max(1, Int(v))
            case ("--idle", let v?): idle = max(1, Int(v))
            case ("--connection-rate", let v?): connectionRate = max(0, Int(v))
            default:
                print(
                    "usage: folkbok-bench hostile [--rounds R] [--seconds S] [--clients N] [--stalled N] [--idle N] [--connection-rate N]"
                )
                exit(2)
            }
        }
    }

    func run() -> Bool {
        raiseOpenFileLimit()
        let binary = siblingBinary("folkbok")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("build the server first (swift build -c release): no \(binary)")
            return false
        }
        let dir = NSTemporaryDirectory() + "folkbok-hostile-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/folkbok.sock"
        let server: ChaosServer
        do {
            server = try ChaosServer(
                binary: binary, dataDir: dir + "/data", socketPath: socket, logPath: dir + "/server.log",
                arguments: ["--audit-sync", "batched"]
                    + (connectionRate.map { ["--max-connection-rate", "\($0)"] } ?? []))
        } catch {
            print("cannot start folkbok: \(error)")
            return false
        }
        defer { server.stop() }
        let ids = DemoPopulation.make(today: CivilDate(year: 2026, month: 1, day: 1)!).map(\.id.value)
        var table = RequestTable()
        var lines: [[UInt8]] = []
        for i in 0..<4096 {
            let line = Array(
                "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(ids[(i &* 7919) % ids.count])\"}}\n".utf8
            )
            table.append(line)
            lines.append(line)
        }
        print(
            "folkbok-bench hostile: \(clients) normal clients (person.get, 1 in flight each), \(rounds) rounds of \(seconds) s runs; "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared by server, normal and hostile clients")
        _ = measure(table, seconds: 1)  // warm-up
        // Memory first, on a server that has not yet seen hostile clients (whose freed memory
        // the allocator would reuse for the connections measured).
        let memory = memoryRows(HostileMemory(socketPath: socket, serverPID: server.process.processIdentifier))
        var quiet: [LoadGenerator<NewlineFramer>.Result] = []
        var hostile: [HostileClient.Kind: [(LoadGenerator<NewlineFramer>.Result, Double)]] = [:]
        for round in 1...rounds {
            for kind in HostileClient.Kind.allCases {
                quiet.append(measure(table, seconds: seconds))
                let client = HostileClient(kind: kind, socketPath: socket, stalledConnections: stalled, requests: lines)
                client.start()
                let r = measure(table, seconds: seconds)
                client.stop()
                hostile[kind, default: []].append((r, client.actionsPerSecond))
                print(
                    "round \(round), \(kind.rawValue): p99 \(Int(r.p99)) µs (quiet before: \(Int(quiet.last!.p99)) µs); "
                        + "hostile \(thousands(client.actionsPerSecond))/s, \(client.actions) in all")
                usleep(500_000)
            }
        }
        let quietP99 = Summary(values: quiet.map(\.p99)).median
        var met = quiet.allSatisfy { $0.failures == 0 }
        print("\n| normal clients beside | p50 | p99 | p999 | reads/s | p99 / quiet p99 | hostile client's rate |")
        print("|---|---|---|---|---|---|---|")
        print(row("nothing (quiet, \(quiet.count) runs)", quiet, ratio: "1.00", rate: "–"))
        for kind in HostileClient.Kind.allCases {
            let runs = hostile[kind] ?? []
            let results = runs.map(\.0)
            let ratio = Summary(values: results.map(\.p99)).median / max(1, quietP99)
            met = met && ratio <= 2 && results.allSatisfy { $0.failures == 0 }
            let rate = Summary(values: runs.map(\.1)).median
            let unit =
                kind == .stalled
                ? "\(stalled) connections held"
                : kind == .pipeliner ? "\(thousands(rate)) requests/s sent" : "\(thousands(rate)) connections/s"
            print(
                row(
                    "\(kind.rawValue) (\(results.count) runs)", results,
                    ratio: String(format: "%.2f%@", ratio, ratio <= 2 ? "" : " (goal ≤ 2)"), rate: unit))
        }
        print("\n| server memory per connection | connections | RSS growth / connection |")
        print("|---|---|---|")
        memory.forEach { print($0) }
        let alive = LineClientProbe(socketPath: socket)?.ping() ?? false
        print("\nserver answers a ping afterwards: \(alive ? "yes" : "NO")")
        server.stop()
        redisBaseline(directory: dir)
        return met && alive
    }

    /// The same normal load and churner against Redis on the same machine (GET of 4,096 keys
    /// holding 600-byte values, RESP over a Unix socket), so the churner's cost to the machine
    /// can be told from its cost to folkbok. Skipped without `redis-server` on PATH.
    private func redisBaseline(directory: String) {
        guard let binary = RedisProcess.locate() else {
            print("\nno redis-server on PATH: no Redis baseline")
            return
        }
        let redis: RedisProcess
        do { redis = try RedisProcess(binary: binary, directory: directory) } catch {
            print("\ncannot start redis-server: \(error)")
            return
        }
        defer { redis.stop() }
        let value = [UInt8](repeating: 0x61, count: 600)
        var fill: [UInt8] = []
        var table = RequestTable()
        var lines: [[UInt8]] = []
        for i in 0..<4096 {
            let key = Array("person:\(i)".utf8)
            RESP.append([Array("SET".utf8), key, value], to: &fill)
            let get = RESP.command([Array("GET".utf8), key])
            table.append(get)
            lines.append(get)
        }
        _ = RESPClient(socketPath: redis.socketPath)?.pipeline(fill, count: 4096)
        var quiet: [Double] = []
        var churned: [Double] = []
        var rates: [Double] = []
        for _ in 1...rounds {
            quiet.append(measureRedis(table, socket: redis.socketPath).p99)
            let churner = HostileClient(
                kind: .churner, socketPath: redis.socketPath, stalledConnections: 0, requests: lines, preamble: [])
            churner.start()
            churned.append(measureRedis(table, socket: redis.socketPath).p99)
            churner.stop()
            rates.append(churner.actionsPerSecond)
            usleep(500_000)
        }
        let q = Summary(values: quiet).median
        let c = Summary(values: churned).median
        print(
            "\nRedis baseline (same \(clients) clients, same churner, \(rounds) rounds): p99 quiet \(micros(q)), "
                + "beside the churner \(micros(c)): \(String(format: "%.2f", c / max(1, q)))× quiet; the churner opened "
                + "\(thousands(Summary(values: rates).median)) connections/s (Redis accepts all it can; folkbok paces them)"
        )
    }

    private func measureRedis(_ table: RequestTable, socket: String) -> LoadGenerator<RESPFramer>.Result {
        LoadGenerator(socketPath: socket, connections: clients, depth: 1, seconds: seconds, framer: RESPFramer.self)
            .run(table)
    }

    private func measure(_ table: RequestTable, seconds: Double) -> LoadGenerator<NewlineFramer>.Result {
        var gen = LoadGenerator(
            socketPath: NSTemporaryDirectory() + "folkbok-hostile-\(getpid())/folkbok.sock",
            connections: clients, depth: 1, seconds: seconds, framer: NewlineFramer.self)
        gen.preamble = [HostileClient.session]
        return gen.run(table)
    }

    private func row(_ name: String, _ results: [LoadGenerator<NewlineFramer>.Result], ratio: String, rate: String)
        -> String
    {
        let cell = { (values: [Double], format: (Double) -> String) in Summary(values: values).cell(format) }
        let failures = results.reduce(0) { $0 + $1.failures }
        return
            "| \(name) | \(cell(results.map(\.p50), micros)) | \(cell(results.map(\.p99), micros)) | \(cell(results.map(\.p999), micros)) | "
            + "\(cell(results.map(\.perSecond), thousands))\(failures > 0 ? " (\(failures) failed)" : "") | \(ratio) | \(rate) |"
    }

    private func memoryRows(_ memory: HostileMemory) -> [String] {
        let big = Array(HostileClient.halfLine + [UInt8](repeating: 0x31, count: 64 << 10))
        let cases: [(String, Int, [UInt8])] = [
            ("idle (connected, nothing sent)", idle, []),
            ("stalled mid-line (\(HostileClient.halfLine.count) bytes of a line)", idle, HostileClient.halfLine),
            ("stalled mid-line (64 KiB of a line)", stalled, big),
        ]
        return cases.map { name, count, first in
            let m = memory.measure(count: count, first: first)
            return "| \(name) | \(m.opened) | \(String(format: "%.1f KiB", m.perConnection / 1024)) |"
        }
    }

    /// Raises this process's open-file limit to the hard limit; the server, a child, inherits it.
    private func raiseOpenFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
