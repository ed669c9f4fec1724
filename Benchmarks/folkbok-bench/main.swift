import FolkbokDemo
import FolkbokEngine
import FolkbokModel
import FolkbokProtocol
import FolkbokServer
import Foundation

/// folkbok-bench: the spine's figures. Every load figure is the median of `--runs` runs with
/// min–max; client and server share this machine's cores, as on a small host.
var persons = 1_000_000
var seconds = 3.0
var runs = 3
var parts: Set<String> = ["spine", "durability"]
var shards = 4
var words = CommandLine.arguments.dropFirst()
if words.first == "load" {
    // Drives an already running server (for profiling it): demo ids, session as the demo region.
    let socket = ProcessInfo.processInfo.environment["FOLKBOK_SOCKET"] ?? "./folkbok.sock"
    let clients = Int(ProcessInfo.processInfo.environment["CLIENTS"] ?? "") ?? 50
    let depth = Int(ProcessInfo.processInfo.environment["DEPTH"] ?? "") ?? 1
    if let keys = Int(ProcessInfo.processInfo.environment["RESP_KEYS"] ?? "") {
        // Against a Redis filled by `redis-benchmark -t set -r KEYS` (keys `key:%012d`), to set this
        // generator beside others on the same server.
        var requests = RequestTable()
        for i in RequestTable.shuffledPicks(count: 1 << 16, of: keys, seed: 3) {
            requests.append(
                RESP.command(["GET", "key:" + String(repeating: "0", count: 12 - String(i).count) + String(i)]))
        }
        let r = LoadGenerator(
            socketPath: socket, connections: clients, depth: depth, seconds: 10, framer: RESPFramer.self
        ).run(requests)
        print(
            "\(Int(r.perSecond)) req/s, p50 \(Int(r.p50)) µs, p99 \(Int(r.p99)) µs, \(r.failures) failed, generator CPU \(Int(r.generatorCPU * 100)) %"
        )
        exit(0)
    }
    let ids = DemoPopulation.make(today: CivilDate(year: 2026, month: 1, day: 1)!).map(\.id.value)
    let loadSeconds = Double(ProcessInfo.processInfo.environment["SECONDS"] ?? "") ?? 10
    var gen = LoadGenerator(
        socketPath: socket, connections: clients, depth: depth, seconds: loadSeconds, framer: NewlineFramer.self)
    gen.serverPID = Int32(ProcessInfo.processInfo.environment["SERVER_PID"] ?? "")
    gen.preamble = [
        Array(
            "{\"id\":0,\"method\":\"session.open\",\"params\":{\"customer\":\"SE2321000016-0001\",\"purpose\":\"care\",\"contract\":\"normal\"}}\n"
                .utf8)
    ]
    var requests = RequestTable()
    for i in 0..<4096 {
        requests.append(
            "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(ids[(i * 7919) % ids.count])\"}}\n".utf8)
    }
    let r = gen.run(requests)
    let cpu = r.serverCPU > 0 ? String(format: ", server CPU %.1f µs/read", r.serverCPU / r.perSecond * 1e6) : ""
    print(
        "\(Int(r.perSecond)) req/s, p50 \(Int(r.p50)) µs, p99 \(Int(r.p99)) µs, p999 \(Int(r.p999)) µs, max \(Int(r.max)) µs\(cpu)"
    )
    exit(0)
}
if words.first == "allocs" {
    AllocBench.run()
    exit(0)
}
if words.first == "stats-counters" {
    // In-process figures of the usage-statistics counters (was a skipped test in FolkbokStatsTests).
    let events = words.dropFirst().first == "--events" ? Int(words.dropFirst(2).first ?? "") : nil
    StatsCountersBench().run(total: events ?? 10_000_000)
    exit(0)
}
if words.first == "search-index" {
    // In-process figures of one store's search index (was a skipped test in FolkbokIndexTests).
    var bench = SearchIndexBench()
    var rest = words.dropFirst()
    if let mode = rest.first, !mode.hasPrefix("--") {
        bench.mode = mode
        rest = rest.dropFirst()
    }
    while let flag = rest.popFirst() {
        if flag == "--persons", let n = Int(rest.popFirst() ?? "") {
            bench.persons = n
        } else if flag == "--runs", let n = Int(rest.popFirst() ?? "") {
            bench.runs = n
        }
    }
    bench.run()
    exit(0)
}
if words.first == "audit-year" {
    // A year of access-log entries written, reopened, queried and verified (was a skipped test in FolkbokAuditTests).
    var rest = words.dropFirst()
    var entries = 1_000_000, dir = "/tmp"
    while let flag = rest.popFirst() {
        if flag == "--entries", let n = Int(rest.popFirst() ?? "") {
            entries = n
        } else if flag == "--dir", let d = rest.popFirst() {
            dir = d
        }
    }
    let bench = AuditYearBench(total: entries, base: dir)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { try await bench.run() } catch { print("audit-year failed: \(error)") }
        done.signal()
    }
    done.wait()
    exit(0)
}
if words.first == "chaos" {
    // The crash loop (opt-in, not run by CI): RELIABILITY.md, "Crash loop".
    exit(ChaosBench(arguments: words.dropFirst()).run() ? 0 : 1)
}
if words.first == "hostile" {
    // Hostile clients beside normal ones (opt-in, not run by CI): RELIABILITY.md, "Hostile clients".
    exit(HostileBench(arguments: words.dropFirst()).run() ? 0 : 1)
}
if words.first == "replication" {
    // Issue #16's targets on a real primary and replica (opt-in, not run by CI): BENCHMARKS.md, "Replication".
    exit(ReplicationBench(arguments: words.dropFirst()).run() ? 0 : 1)
}
if words.first == "import" {
    // admin.import into the real server, durable (issue #15): BENCHMARKS.md, "Import".
    exit(ImportBench(arguments: words.dropFirst()).run() ? 0 : 1)
}
if words.first == "ceiling" {
    // The load generator against the null servers only (JSON lines and RESP), for profiling it.
    let secs = Double(ProcessInfo.processInfo.environment["SECONDS"] ?? "") ?? 3
    CompareBench.ceilings(seconds: secs)
    exit(0)
}
if words.first == "navet" {
    // Reading Navet files on one core (README "Navet files"); the import: `import --format navet`.
    words = words.dropFirst()
    var navetPersons = 200_000
    var navetRuns = 5
    while let flag = words.popFirst() {
        switch flag {
        case "--persons": navetPersons = Int(words.popFirst() ?? "") ?? navetPersons
        case "--runs": navetRuns = max(1, Int(words.popFirst() ?? "") ?? navetRuns)
        default:
            print("usage: folkbok-bench navet [--persons N] [--runs R]")
            exit(2)
        }
    }
    try NavetBench(persons: navetPersons, runs: navetRuns, today: CivilDate(year: 2026, month: 1, day: 1)!).run()
    exit(0)
}
let snapshotMode = words.first == "snapshot"
let compareMode = words.first == "compare"
if snapshotMode || compareMode { words = words.dropFirst() }
while let flag = words.popFirst() {
    switch flag {
    case "--persons": persons = Int(words.popFirst() ?? "") ?? persons
    case "--seconds": seconds = Double(words.popFirst() ?? "") ?? seconds
    case "--runs": runs = Int(words.popFirst() ?? "") ?? runs
    case "--only": parts = Set((words.popFirst() ?? "").split(separator: ",").map(String.init))
    case "--shards": shards = Int(words.popFirst() ?? "") ?? shards
    default:
        print(
            """
            usage: folkbok-bench [--persons N] [--seconds S] [--runs R] [--only spine,durability,stats]
                   folkbok-bench snapshot [--persons N] [--shards S] [--runs R]
                   folkbok-bench navet [--persons N] [--runs R]   (Navet files read on one core)
                   folkbok-bench import [--persons N] [--format ndjson|navet] [--files K] [--runs R] [--mode full|delta]   (admin.import into the real server)
                   folkbok-bench compare [--persons N] [--runs R] [--seconds S]   (side by side with redis-server)
                   folkbok-bench chaos [--kills N] [--seed S] [--seconds-per-round S] [--progress N] [--dir ABSOLUTE-PATH]   (kill -9 loop)
                   folkbok-bench hostile [--rounds R] [--seconds S] [--clients N] [--stalled N] [--idle N] [--connection-rate N]   (stalled, pipelining, churning clients)
                   folkbok-bench replication [--only lag,sync,catchup,fresh,failover] [--runs R] [--seconds S] [--rate W] [--persons N]   (primary + replica)
                   folkbok-bench search-index [all|upsert|query] [--persons N] [--runs R]   (in-process search index figures)
                   folkbok-bench audit-year [--entries N] [--dir D]   (a year of access-log entries: write, query, verify)
                   folkbok-bench stats-counters [--events N]   (in-process: record, drain, encode, query the statistics counters)
                   FOLKBOK_SOCKET=PATH CLIENTS=50 DEPTH=1 [SECONDS=10] [SERVER_PID=P] [RESP_KEYS=N] folkbok-bench load
            """)
        exit(2)
    }
}

let today = CivilDate(year: 2026, month: 1, day: 1)!
if snapshotMode {
    try SnapshotBench(persons: persons, shards: shards, runs: runs, today: today).run()
    exit(0)
}
if compareMode {
    do { try CompareBench(persons: persons, runs: runs, seconds: seconds, today: today).run() } catch {
        print("compare failed: \(error)")
        exit(1)
    }
    exit(0)
}
print(
    "folkbok-bench: \(persons) persons, \(runs) runs of \(seconds) s each; \(ProcessInfo.processInfo.activeProcessorCount) cores shared by client and server"
)

if parts.contains("spine") {
    InProcessBench(persons: persons, today: today).run(seconds: seconds, runs: runs)
    for sync in ["strict", "batched"] {
        var bench = SocketBench(persons: persons, seconds: seconds, runs: runs, today: today)
        bench.auditSync = sync
        bench.run()
    }
}
if parts.contains("stats") {
    StatsBench(persons: persons, seconds: seconds, runs: runs, today: today).run()
}
if parts.contains("durability") {
    DurabilityBench(persons: persons, seconds: seconds, runs: runs, today: today).run()
}
