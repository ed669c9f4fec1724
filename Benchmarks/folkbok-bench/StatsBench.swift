import FolkbokDemo
import FolkbokModel
import FolkbokProtocol
import FolkbokServer
import FolkbokStats
import Foundation
import Glibc

/// The usage-statistics figures: `person.get`/s at 50 clients with statistics counted and
/// not (`--stats off`), one year of daily public statistics by four dimensions over 10 M
/// events (in-process), and a pseudonymised export of `exportRows` lookups: creation time and
/// fetch throughput over the socket.
struct StatsBench {
    let persons: Int
    let seconds: Double
    let runs: Int
    let today: CivilDate
    var exportRows = 1_000_000
    var events = 10_000_000

    func run() {
        openStatistics()
        let dir = NSTemporaryDirectory() + "folkbok-stats-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (file, ids) = writePopulation(persons, seed: 7, region: "01", today: today, in: dir)
        let binary = siblingBinary("folkbok")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            return print("stats benchmarks skipped: build the server first")
        }
        var requests = RequestTable()
        for (i, pick) in RequestTable.shuffledPicks(count: 4096, of: ids.count, seed: 7).enumerated() {
            requests.append("{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(ids[pick])\"}}\n".utf8)
        }
        let session = Array(
            "{\"id\":0,\"method\":\"session.open\",\"params\":{\"customer\":\"bench-region\",\"purpose\":\"care\",\"contract\":\"normal\"}}\n"
                .utf8)
        // Both servers run side by side and take turns, so the machine's drift hits both alike.
        var servers: [String: ServerProcess] = [:]
        for mode in ["off", "on"] {
            try? FileManager.default.createDirectory(atPath: dir + "/" + mode, withIntermediateDirectories: true)
            servers[mode] = try! ServerProcess(
                binary: binary, directory: dir + "/" + mode, extra: ["--audit-sync", "batched", "--stats", mode])
            importPersons(file, into: servers[mode]!)
        }
        var rates: [String: [Double]] = ["on": [], "off": []], ratios: [Double] = []
        for run in 0..<(2 * runs) {
            for mode in run % 2 == 0 ? ["off", "on"] : ["on", "off"] {
                var gen = LoadGenerator(
                    socketPath: servers[mode]!.socketPath, connections: 50, depth: 1, seconds: seconds,
                    framer: NewlineFramer.self)
                gen.preamble = [session]
                rates[mode]!.append(gen.run(requests).perSecond)
            }
            ratios.append(rates["on"]!.last! / rates["off"]!.last!)
        }
        servers["off"]!.stop()
        export(servers["on"]!, ids: ids)
        servers["on"]!.stop()
        let on = Summary(values: rates["on"]!), off = Summary(values: rates["off"]!)
        print(
            "person.get at 50 clients (--audit-sync batched): statistics off \(off.cell(thousands))/s, on \(on.cell(thousands))/s; "
                + "on/off per pair of runs \(Summary(values: ratios).cell { String(format: "%.3f", $0) })")
    }

    /// One year of daily `stats.open` by method, region, ageBand, sex over `events` events.
    func openStatistics() {
        let categories: [CustomerCategory] = [.region, .region, .municipality, .private]
        let customers = (0..<40).map { (i: Int) -> (id: String, category: CustomerCategory, region: String?) in
            let region: String? = i % 4 == 3 ? nil : String(format: "%02d", 1 + i % 21)
            return (id: "C\(i)", category: categories[i % 4], region: region)
        }
        var counters = StatsCounters()
        var rng = SplitMix64(seed: 11)
        let first = today.daysSinceEpoch - 364
        let started = now()
        // Events come in time order, a day at a time, drained (as a snapshot does) at each day's end.
        for i in 0..<events {
            let r = rng.next()
            let c = customers[Int(r % 40)]
            let day = first + i * 365 / events
            if i > 0 && day != first + (i - 1) * 365 / events { _ = counters.drainDelta() }
            let event = LookupEvent(
                method: LookupMethod.allCases[Int((r >> 20) % 5)], customer: c.id, category: c.category,
                region: c.region,
                user: nil, purpose: .care, contract: .normal, profile: nil,
                outcome: (r >> 24) % 10 == 0 ? .notFound : .full,
                ageBand: AgeBand.allCases[Int((r >> 28) % UInt64(AgeBand.allCases.count))],
                sex: (r >> 34) & 1 == 0 ? .female : .male,
                hour: StatsHour(date: CivilDate(daysSinceEpoch: day), hour: Int((r >> 40) % 24)))
            counters.record(event)
        }
        _ = counters.drainDelta()
        let recorded = now() - started
        let query = StatsQuery(
            method: .open, from: CivilDate(daysSinceEpoch: first), to: today, granularity: .day,
            by: [.method, .region, .ageBand, .sex])
        var times: [Double] = [], evaluateTimes: [Double] = [], rows = 0, bytes = 0
        for _ in 0..<max(3, runs) {
            let t0 = now()
            let result = query.evaluate(over: [counters], customer: nil)
            let t1 = now()
            let answer = result.openAnswer(threshold: .default)
            times.append(now() - t0)
            evaluateTimes.append(t1 - t0)
            rows = result.rowCount
            bytes = answer.count
        }
        print(
            "stats.open, a year daily by method, region, ageBand, sex over \(events / 1_000_000) M events (recorded in "
                + "\(String(format: "%.1f", recorded)) s, \(String(format: "%.0f", recorded / Double(events) * 1e9)) ns/event): "
                + "\(Summary(values: times).cell { String(format: "%.1f ms", $0 * 1000) }) for \(rows) rows, \(bytes / 1_000_000) MB "
                + "(counting the rows: \(Summary(values: evaluateTimes).cell { String(format: "%.1f ms", $0 * 1000) }))"
        )
    }

    /// Makes `exportRows` lookup events (person.getMany of 500), then times a pseudonymised
    /// export and fetching it over the socket.
    func export(_ server: ServerProcess, ids: [String]) {
        let client = try! LineClient(socketPath: server.socketPath)
        _ = try! client.call(
            "session.open", params: "{\"customer\":\"bench-region\",\"purpose\":\"care\",\"contract\":\"normal\"}")
        let started = now()
        var made = 0, offset = 0
        while made < exportRows {
            let n = min(500, exportRows - made)
            let batch = (0..<n).map { "\"\(ids[(offset + $0) % ids.count])\"" }.joined(separator: ",")
            offset += n
            _ = try! client.call("person.getMany", params: "{\"ids\":[\(batch)],\"profile\":\"P1\"}")
            made += n
        }
        let lookupSeconds = now() - started
        let t0 = now()
        let answer = try! client.call("stats.export", params: "{\"kind\":\"pseudonymised\"}")
        let createSeconds = now() - t0
        guard let result = answer["result"]?.objectValue, let id = result["export"]?.stringValue else {
            return print("stats.export failed: \(answer)")
        }
        let fetch = try! LineClient(socketPath: server.socketPath)
        _ = try! fetch.call(
            "session.open", params: "{\"customer\":\"bench-region\",\"purpose\":\"care\",\"contract\":\"normal\"}")
        let t1 = now()
        try! fetch.send(
            line: "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"stats.fetch\",\"params\":{\"export\":\"\(id)\"}}")
        let rowPrefix = Array("{\"jsonrpc\":\"2.0\",\"id\":9,\"row\"".utf8)
        var lines = 0
        while let line = try! fetch.readLine() {
            lines += 1
            if !line.starts(with: rowPrefix) { break }
        }
        let fetchSeconds = now() - t1
        print(
            "stats.export pseudonymised of \(result["rows"]?.int64Value.map(String.init) ?? "?") rows (made by \(exportRows) lookups in "
                + "\(String(format: "%.1f", lookupSeconds)) s): created in \(String(format: "%.2f", createSeconds)) s; "
                + "stats.fetch \(lines - 1) rows in \(String(format: "%.2f", fetchSeconds)) s = \(thousands(Double(lines - 1) / fetchSeconds)) rows/s"
        )
    }
}

/// Writes `count` synthetic persons as NDJSON for `admin.import`; returns the file and their ids.
func writePopulation(_ count: Int, seed: UInt64, region: String, today: CivilDate, in dir: String) -> (String, [String])
{
    let file = dir + "/persons.ndjson"
    var ids: [String] = []
    ids.reserveCapacity(count)
    _ = FileManager.default.createFile(atPath: file, contents: nil)
    let handle = FileHandle(forWritingAtPath: file)!
    var buffer: [UInt8] = []
    for record in SyntheticPopulation.make(count: count, seed: seed, region: region, today: today) {
        ids.append(record.id.value)
        buffer += RecordEncoder.fullView(record)
        buffer.append(0x0A)
        if buffer.count > 1 << 22 {
            handle.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    handle.write(Data(buffer))
    handle.closeFile()
    return (file, ids)
}

/// `admin.import` of `file` (region 01, full) as the operator.
func importPersons(_ file: String, into server: ServerProcess) {
    let admin = try! LineClient(socketPath: server.socketPath)
    _ = try! admin.call("session.open", params: "{\"customer\":\"operator\"}")
    _ = try! admin.call("admin.import", params: "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"full\"}")
}
