import FolkbokJSON
import FolkbokServer
import Foundation
import Glibc

/// The comparison's durability figures: snapshot time, restart to first answer (and memory per
/// person after it, free of import garbage), reads with the strict access log, and durable
/// single-person writes per second.
extension CompareBench {
    /// folkbok `admin.snapshot` vs Redis `SAVE` (both write a file, fsync it and rename it).
    func snapshots(_ started: Started, report: inout CompareReport) throws {
        let admin = try LineClient(socketPath: started.folkbok!.socketPath)
        _ = try admin.call("session.open", params: #"{"customer":"operator"}"#)
        guard let redis = RESPClient(socketPath: started.redis!.socketPath) else {
            throw CompareFailure(description: "cannot connect to Redis")
        }
        var f: [Double] = [], r: [Double] = []
        for _ in 0..<runs {
            var t = now()
            let answer = try admin.call("admin.snapshot")
            guard answer["result"] != nil else { throw CompareFailure(description: "admin.snapshot failed: \(answer)") }
            f.append(now() - t)
            t = now()
            let saved = redis.call("SAVE")
            guard saved == "+OK\r\n" else { throw CompareFailure(description: "SAVE failed: \(saved)") }
            r.append(now() - t)
        }
        print("snapshots:")
        report.add("snapshot (admin.snapshot / SAVE)", folkbok: f, redis: r, format: secondsText)
    }

    /// Each server stopped (by pid) and started again on its data, timed from launch to the first
    /// successful read of a person; then RSS per person of the restarted, freshly loaded server.
    /// Answers Redis's restart times, for the ratio of folkbok's restart after the read loads.
    func restarts(
        _ data: CompareData, started: Started, redisBinary: String, emptyRSS: (folkbok: Int, redis: Int),
        report: inout CompareReport
    ) throws -> [Double] {
        var f: [Double] = [], r: [Double] = []
        for _ in 0..<runs {
            f.append(try restartFolkbok(data, started: started, extra: ["--audit-sync", "batched"]))
            r.append(try restartRedis(data, started: started, binary: redisBinary))
        }
        print("restarts:")
        report.add("restart to first answer (snapshot / RDB)", folkbok: f, redis: r, format: secondsText)
        let perF = Double(started.folkbok!.residentBytes - emptyRSS.folkbok) / Double(persons)
        let perR = Double(started.redis!.residentBytes - emptyRSS.redis) / Double(persons)
        report.add(
            "memory per person after restart (RSS − empty RSS)", folkbok: [perF], redis: [perR], format: bytesText)
        return r
    }

    /// Seconds from launching folkbok on its data directory to its first `person.get` answer.
    func restartFolkbok(_ data: CompareData, started: Started, extra: [String]) throws -> Double {
        started.folkbok?.stop()
        started.folkbok = nil
        let t = now()
        let server = try ServerProcess(
            binary: folkbokBinary, directory: folkbokDirectory, extra: extra, reuseData: true)
        started.folkbok = server
        let client = try LineClient(socketPath: server.socketPath)
        try client.send(session)
        _ = try client.readLine()
        let answer = try client.call("person.get", params: "{\"id\":\"\(data.ids[0])\"}")
        guard answer["result"] != nil else { throw CompareFailure(description: "folkbok after restart: \(answer)") }
        return now() - t
    }

    /// Seconds from launching redis-server on its RDB to its first `GET` answered with a value.
    func restartRedis(_ data: CompareData, started: Started, binary: String) throws -> Double {
        started.redis?.stop()
        started.redis = nil
        let server = try RedisProcess(binary: binary, directory: redisDirectory)
        started.redis = server
        guard let client = RESPClient(socketPath: server.socketPath) else {
            throw CompareFailure(description: "Redis restart: cannot connect")
        }
        while true {
            let reply = client.call("GET", data.ids[0])
            if reply.hasPrefix("$") && !reply.hasPrefix("$-1") { break }
            guard reply.hasPrefix("-LOADING") else {
                throw CompareFailure(description: "Redis after restart: \(reply.prefix(100))")
            }
            usleep(500)
        }
        return now() - server.launchedAt
    }

    /// The read loads once more against folkbok restarted with `--audit-sync strict` (an answer
    /// leaves only after its access-log entry is on disk), next to Redis's figures from before.
    /// That restart is timed too: it reads back the day's access log the read loads wrote.
    func strictReads(
        _ data: CompareData, started: Started, redisReads: [String: Series], redisRestarts: [Double],
        report: inout CompareReport
    ) throws {
        let restart = try restartFolkbok(data, started: started, extra: ["--audit-sync", "strict"])
        report.add(
            "restart to first answer after the read loads (1 run; the day's access log is read back)",
            folkbok: [restart], redis: redisRestarts, format: secondsText)
        let gets = data.personGets()
        print("reads, folkbok with --audit-sync strict:")
        for (name, clients, depth) in Self.loads {
            var f = Series()
            for _ in 0..<runs {
                f.add(drive(started.folkbok!.socketPath, gets, clients, depth, NewlineFramer.self, preamble: [session]))
            }
            let r = redisReads[name] ?? Series()
            report.add("reads/s, \(name), strict audit", folkbok: f.rates, redis: r.rates, format: thousands)
            report.addLatency("p50 / p99, \(name), strict audit", folkbok: (f.p50, f.p99), redis: (r.p50, r.p99))
        }
    }

    /// folkbok `contact.set` (logged and fdatasync'd before the answer, group commit) vs Redis
    /// `SET` with `appendonly yes` and `appendfsync always` (written and fsync'd before the
    /// answer, one fsync per event-loop turn), 1 and 50 connections, no pipelining.
    func durableWrites(_ data: CompareData, started: Started, report: inout CompareReport) throws {
        let sets = data.contactSets(), redisSets = data.redisSets()
        try check(folkbok: started.folkbok!, sets, expecting: #""version""#)
        guard let redis = RESPClient(socketPath: started.redis!.socketPath),
            redis.call("CONFIG", "SET", "appendfsync", "always") == "+OK\r\n",
            redis.call("CONFIG", "SET", "appendonly", "yes") == "+OK\r\n"
        else { throw CompareFailure(description: "cannot turn on Redis's AOF") }
        while true {
            let info = redis.call("INFO", "persistence")
            if info.contains("aof_rewrite_in_progress:0"), info.contains("aof_rewrite_scheduled:0") { break }
            usleep(20_000)
        }
        try check(redis: started.redis!, redisSets)
        print("durable writes (no pipelining):")
        for clients in [1, 50] {
            var f: [Double] = [], r: [Double] = []
            for _ in 0..<runs {
                f.append(
                    drive(started.folkbok!.socketPath, sets, clients, 1, NewlineFramer.self, preamble: [session])
                        .perSecond)
                r.append(drive(started.redis!.socketPath, redisSets, clients, 1, RESPFramer.self).perSecond)
            }
            report.add(
                "durable writes/s, \(clients) connection\(clients == 1 ? "" : "s") (contact.set / SET, appendfsync always)",
                folkbok: f, redis: r, format: thousands)
        }
    }
}
