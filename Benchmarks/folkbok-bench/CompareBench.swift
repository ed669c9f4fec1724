import FolkbokModel
import FolkbokServer
import Foundation

/// `folkbok-bench compare`: folkbok and Redis side by side, started by this process on their own
/// Unix sockets in one temporary directory, holding the same N persons, driven by the same load
/// generator over the same keys. Reads here; snapshots, restarts and durable writes in
/// `CompareBench+Persistence.swift`. Both servers are stopped by process id on every way out.
struct CompareBench {
    let persons: Int
    let runs: Int
    let seconds: Double
    let today: CivilDate

    static let loads = [("1 connection", 1, 1), ("50 connections", 50, 1), ("50 connections × 16 pipelined", 50, 16)]

    /// The servers this run started; `stopAll` ends each by its process id.
    final class Started {
        var folkbok: ServerProcess?
        var redis: RedisProcess?
        func stopAll() {
            folkbok?.stop()
            redis?.stop()
            folkbok = nil
            redis = nil
        }
    }

    let directory = NSTemporaryDirectory() + "folkbok-compare-\(getpid())"
    var folkbokDirectory: String { directory + "/folkbok" }
    var redisDirectory: String { directory + "/redis" }
    let folkbokBinary = siblingBinary("folkbok")
    let session =
        Array(
            #"{"id":0,"method":"session.open","params":{"customer":"bench-region","purpose":"care","contract":"normal"}}"#
                .utf8) + [0x0A]

    func run() throws {
        guard let redisBinary = RedisProcess.locate() else {
            print("compare needs redis-server on PATH. On Debian: apt-get install -y redis-server")
            exit(1)
        }
        guard FileManager.default.isExecutableFile(atPath: folkbokBinary) else {
            print("compare needs the folkbok server beside this binary: swift build -c release --product folkbok")
            exit(1)
        }
        RESPFramer.selfCheck()
        for d in [folkbokDirectory, redisDirectory] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
        let started = Started()
        defer {
            started.stopAll()
            try? FileManager.default.removeItem(atPath: directory)
        }

        let generatedAt = now()
        let data = CompareData(persons: persons, directory: directory, today: today)
        print(
            "generated \(persons) persons (seed 7) in \(String(format: "%.1f", now() - generatedAt)) s; typical value \(data.typicalValue.count) B of JSON"
        )
        started.folkbok = try ServerProcess(
            binary: folkbokBinary, directory: folkbokDirectory, extra: ["--audit-sync", "batched"])
        started.redis = try RedisProcess(binary: redisBinary, directory: redisDirectory)
        let header = self.header(folkbok: started.folkbok!, redis: started.redis!)
        print(header)

        var report = CompareReport()
        let empty = try load(data, into: started, report: &report)
        try snapshots(started, report: &report)
        // Restarts before the read loads: folkbok's restart also reads the day's access log,
        // which the reads fill; `strictReads` times a restart after them as well.
        let redisRestarts = try restarts(
            data, started: started, redisBinary: redisBinary, emptyRSS: empty, report: &report)
        let redisReads = try reads(data, started: started, report: &report)
        try strictReads(data, started: started, redisReads: redisReads, redisRestarts: redisRestarts, report: &report)
        try durableWrites(data, started: started, report: &report)
        started.stopAll()
        print("\nMarkdown (paste into BENCHMARKS.md):\n")
        print(report.markdown(header: header))
    }

    private func header(folkbok: ServerProcess, redis: RedisProcess) -> String {
        let version =
            (try? LineClient(socketPath: folkbok.socketPath).call("ping"))?["result"]?.objectValue?["version"]?
            .stringValue ?? "?"
        let info = RESPClient(socketPath: redis.socketPath)?.call("INFO", "server") ?? ""
        let redisVersion = info.split(separator: "\r\n").first { $0.hasPrefix("redis_version:") }?.dropFirst(14) ?? "?"
        let date = ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
            ?? "?"
        return
            "folkbok-bench compare, \(date), \(persons) persons; each figure the median (min–max) of \(runs) run\(runs == 1 ? "" : "s") "
            + "(loads \(seconds) s each). folkbok \(version) with --audit-sync batched unless a row says strict; Redis \(redisVersion), "
            + "no persistence except where a row says so. Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu)), "
            + "shared by the load generator (one thread) and the server under test."
    }

    /// How long after loading memory is measured (both servers).
    static let settleSeconds = 5.0

    /// Imports into folkbok and `SET`s into Redis; reports load time and memory per person
    /// (`settleSeconds` after loading). Answers the empty servers' RSS.
    private func load(_ data: CompareData, into started: Started, report: inout CompareReport) throws -> (
        folkbok: Int, redis: Int
    ) {
        let folkbok = started.folkbok!, redis = started.redis!
        let emptyF = folkbok.residentBytes, emptyR = redis.residentBytes
        let admin = try LineClient(socketPath: folkbok.socketPath)
        _ = try admin.call("session.open", params: #"{"customer":"operator"}"#)
        var t = now()
        let answer = try admin.call(
            "admin.import", params: "{\"path\":\"\(data.file)\",\"region\":\"01\",\"mode\":\"full\"}")
        let importSeconds = now() - t
        guard let result = answer["result"]?.objectValue, result["rejected"]?.int64Value == 0 else {
            throw CompareFailure(description: "folkbok import failed: \(answer)")
        }
        guard let client = RESPClient(socketPath: redis.socketPath) else {
            throw CompareFailure(description: "cannot connect to Redis")
        }
        t = now()
        let failed = data.loadRedis(client)
        let setSeconds = now() - t
        guard failed == 0, client.call("DBSIZE") == ":\(persons)\r\n" else {
            throw CompareFailure(description: "Redis load failed: \(failed) SETs failed")
        }
        print(
            "loaded: folkbok admin.import \(String(format: "%.1f", importSeconds)) s, Redis pipelined SET \(String(format: "%.1f", setSeconds)) s"
        )
        report.add(
            "load \(persons) persons (admin.import / pipelined SET), 1 run", folkbok: [importSeconds],
            redis: [setSeconds], format: secondsText)
        // Settled: a load of a million writes sets off folkbok's scheduled snapshot, whose
        // per-core image buffers (tens of MB, freed when it is written) would otherwise be
        // counted or not by chance, depending on when the snapshot starts.
        Thread.sleep(forTimeInterval: Self.settleSeconds)
        let perF = Double(folkbok.residentBytes - emptyF) / Double(persons),
            perR = Double(redis.residentBytes - emptyR) / Double(persons)
        report.add(
            "memory per person after loading (RSS − empty RSS)", folkbok: [perF], redis: [perR], format: bytesText)
        return (emptyF, emptyR)
    }

    /// The three read loads against both servers and both null servers. Answers Redis's series per load.
    private func reads(_ data: CompareData, started: Started, report: inout CompareReport) throws -> [String: Series] {
        let jsonGets = data.personGets(), respGets = data.redisGets()
        try check(folkbok: started.folkbok!, jsonGets, expecting: #""result""#)
        try check(redis: started.redis!, respGets)
        let nullJSON = NullServer(
            path: directory + "/null-json.sock",
            reply: Array(#"{"jsonrpc":"2.0","id":1,"result":"#.utf8) + data.typicalValue + Array("}\n".utf8))
        let nullRESP = NullServer(
            path: directory + "/null-resp.sock",
            reply: Array("$\(data.typicalValue.count)\r\n".utf8) + data.typicalValue + [0x0D, 0x0A],
            framer: RESPFramer.self)
        var redisSeries: [String: Series] = [:]
        let before = (folkbok: started.folkbok!.residentBytes, redis: started.redis!.residentBytes)
        var served = (folkbok: 0, redis: 0)
        print("reads: person.get (JSON-RPC) vs GET (RESP), random existing keys")
        for (name, clients, depth) in Self.loads {
            var f = Series(), r = Series(), cj: [Double] = [], cr: [Double] = []
            for _ in 0..<runs {
                let fr = drive(
                    started.folkbok!.socketPath, jsonGets, clients, depth, NewlineFramer.self, preamble: [session],
                    server: started.folkbok!.process.processIdentifier)
                let rr = drive(
                    started.redis!.socketPath, respGets, clients, depth, RESPFramer.self,
                    server: started.redis!.process.processIdentifier)
                f.add(fr)
                r.add(rr)
                served.folkbok += fr.requests
                served.redis += rr.requests
                cj.append(drive(nullJSON.path, jsonGets, clients, depth, NewlineFramer.self).perSecond)
                cr.append(drive(nullRESP.path, respGets, clients, depth, RESPFramer.self).perSecond)
            }
            report.add("reads/s, \(name)", folkbok: f.rates, redis: r.rates, format: thousands)
            report.addLatency("p50 / p99, \(name)", folkbok: (f.p50, f.p99), redis: (r.p50, r.p99))
            report.addCeiling(name, json: cj, resp: cr, folkbok: f, redis: r)
            redisSeries[name] = r
        }
        report.add(
            "RSS growth per read served (\(thousands(Double(served.folkbok))) / \(thousands(Double(served.redis))) reads)",
            folkbok: [Double(started.folkbok!.residentBytes - before.folkbok) / Double(max(1, served.folkbok))],
            redis: [Double(started.redis!.residentBytes - before.redis) / Double(max(1, served.redis))],
            format: bytesText)
        return redisSeries
    }

    /// One timed run of the shared load generator; says so when replies were errors or connections closed.
    func drive<F: ReplyFramer>(
        _ socket: String, _ table: RequestTable, _ clients: Int, _ depth: Int, _ framer: F.Type,
        preamble: [[UInt8]] = [], server: Int32? = nil
    ) -> LoadGenerator<F>.Result {
        var gen = LoadGenerator(
            socketPath: socket, connections: clients, depth: depth, seconds: seconds, framer: F.self)
        gen.preamble = preamble
        gen.serverPID = server
        let result = gen.run(table)
        if result.failures > 0 { print("  warning: \(result.failures) failed replies from \(socket)") }
        return result
    }

    /// Sends the first requests of `table` one by one; throws unless every answer contains `expecting`.
    func check(folkbok: ServerProcess, _ table: RequestTable, expecting: String) throws {
        let client = try LineClient(socketPath: folkbok.socketPath)
        try client.send(session)
        _ = try client.readLine()
        for i in 0..<min(32, table.count) {
            try client.send(Array(table[i]))
            let line = String(decoding: (try client.readLine()) ?? [], as: UTF8.self)
            guard line.contains(expecting) else {
                throw CompareFailure(description: "folkbok answered \(line.prefix(200))")
            }
        }
    }

    /// The same for Redis: every answer must be a value (`GET`) or `+OK` (`SET`).
    func check(redis: RedisProcess, _ table: RequestTable) throws {
        guard let client = RESPClient(socketPath: redis.socketPath) else {
            throw CompareFailure(description: "cannot connect to Redis")
        }
        for i in 0..<min(32, table.count) {
            sendAll(client.fd, Array(table[i]))
            let reply = String(decoding: readReplies(client.fd, count: 1, framer: RESPFramer.self), as: UTF8.self)
            guard reply.hasPrefix("$") && !reply.hasPrefix("$-1") || reply.hasPrefix("+OK") else {
                throw CompareFailure(description: "Redis answered \(reply.prefix(200))")
            }
        }
    }
}

/// Rates, latency percentiles and CPU use (cores busy) of repeated runs.
struct Series {
    var rates: [Double] = [], p50: [Double] = [], p99: [Double] = [], generatorCPU: [Double] = [],
        serverCPU: [Double] = []
    mutating func add<F>(_ r: LoadGenerator<F>.Result) {
        rates.append(r.perSecond)
        p50.append(r.p50)
        p99.append(r.p99)
        generatorCPU.append(r.generatorCPU)
        serverCPU.append(r.serverCPU)
    }
}

func secondsText(_ v: Double) -> String { v < 10 ? String(format: "%.2f s", v) : String(format: "%.1f s", v) }
func bytesText(_ v: Double) -> String { String(format: "%.0f B", v) }

extension CompareBench {
    /// `folkbok-bench ceiling`: the generator against both null servers at the three loads,
    /// with 4096 synthetic 12-digit keys and 480-byte replies; nothing else started.
    static func ceilings(seconds: Double) {
        let directory = NSTemporaryDirectory() + "folkbok-ceiling-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var json = RequestTable(), resp = RequestTable()
        for i in 0..<4096 {
            let key = String(191_000_000_000 + i * 7919)
            json.append("{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(key)\"}}\n".utf8)
            resp.append(RESP.command(["GET", key]))
        }
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 480)
        let nullJSON = NullServer(
            path: directory + "/json.sock",
            reply: Array(#"{"jsonrpc":"2.0","id":1,"result":""#.utf8) + value + Array("\"}\n".utf8))
        let nullRESP = NullServer(
            path: directory + "/resp.sock", reply: Array("$480\r\n".utf8) + value + [0x0D, 0x0A],
            framer: RESPFramer.self)
        for (name, clients, depth) in loads {
            let j = LoadGenerator(
                socketPath: nullJSON.path, connections: clients, depth: depth, seconds: seconds,
                framer: NewlineFramer.self
            ).run(json)
            let r = LoadGenerator(
                socketPath: nullRESP.path, connections: clients, depth: depth, seconds: seconds, framer: RESPFramer.self
            ).run(resp)
            print("\(name): JSON lines \(thousands(j.perSecond))/s, RESP \(thousands(r.perSecond))/s")
        }
    }
}
