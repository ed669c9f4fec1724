import FolkbokServer
import Foundation
import Glibc

/// `folkbok-bench import`: `admin.import` into the real `folkbok` binary, durable, from a file
/// `folkbok generate` wrote (seed 7, region 01; kept in the temporary directory and reused by
/// later runs with the same persons and format). Each run starts a fresh server on an empty data
/// directory and imports the file `full`; the figures are the median (min–max) of the runs: wall
/// time from the request to the answer, persons/s, MB/s of the file, and the server's CPU time
/// (user + system) over the import, so MB per CPU-second gives the rate per core.
///
/// `--readers C` measures serving while importing instead (issue #15): each run imports the file
/// once (`delta`), measures `person.get` of its persons at C connections for `--seconds` (quiet),
/// then imports it again (`full`, every person updated) with the same reads running beside it,
/// and reports the reads' rate and p99 during the import against the quiet ones.
///
/// `PERF_OUT=FILE` records the server with `perf record -g` during each import (the last run's
/// profile is kept).
struct ImportBench {
    var persons = 1_000_000
    var format = "ndjson"
    var files = 1
    var runs = 3
    var mode = "full"
    var extra: [String] = []
    var readers = 0
    var seconds = 5.0

    init(arguments: ArraySlice<String>) {
        var words = arguments
        while let flag = words.popFirst() {
            switch flag {
            case "--persons": persons = Int(words.popFirst() ?? "") ?? persons
            case "--format": format = words.popFirst() ?? format
            case "--files": files = max(1, Int(words.popFirst() ?? "") ?? files)
            case "--runs": runs = max(1, Int(words.popFirst() ?? "") ?? runs)
            case "--mode": mode = words.popFirst() ?? mode
            case "--serve-arg": extra.append(words.popFirst() ?? "")
            case "--readers": readers = max(0, Int(words.popFirst() ?? "") ?? readers)
            case "--seconds": seconds = Double(words.popFirst() ?? "") ?? seconds
            default:
                print(
                    "usage: folkbok-bench import [--persons N] [--format ndjson|navet] [--files K] [--runs R] [--mode full|delta] [--serve-arg ARG]... [--readers C [--seconds S]]"
                )
                exit(2)
            }
        }
    }

    func run() -> Bool {
        let binary = ProcessInfo.processInfo.environment["FOLKBOK_BINARY"] ?? siblingBinary("folkbok")
        let paths: [String]
        do { paths = try data(binary: binary) } catch {
            print("import: generating the data failed: \(error)")
            return false
        }
        let bytes = paths.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
        }
        print(
            "import: \(persons) persons, \(format), \(paths.count) file\(paths.count == 1 ? "" : "s"), \(String(format: "%.1f", Double(bytes) / 1e6)) MB, mode \(mode), \(runs) run\(runs == 1 ? "" : "s"), \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        let directory = NSTemporaryDirectory() + "folkbok-bench-import-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if readers > 0 { return servingWhileImporting(binary: binary, directory: directory, paths: paths) }
        var walls: [Double] = [], cpus: [Double] = []
        for run in 1...runs {
            guard let (wall, cpu) = once(binary: binary, directory: directory, paths: paths) else { return false }
            print(
                "  run \(run): \(String(format: "%.2f", wall)) s wall, \(String(format: "%.2f", cpu)) s server CPU")
            walls.append(wall)
            cpus.append(cpu)
        }
        walls.sort()
        cpus.sort()
        let median = { (v: [Double]) in v[v.count / 2] }
        let range = { (v: [Double], f: (Double) -> String) in "\(f(median(v))) (\(f(v.last!))–\(f(v.first!)))" }
        print("  wall: \(range(walls) { String(format: "%.2f s", $0) })")
        print("  persons/s: \(range(walls) { String(format: "%.0f k", Double(persons) / $0 / 1e3) })")
        print("  MB/s: \(range(walls) { String(format: "%.0f", Double(bytes) / $0 / 1e6) })")
        print(
            "  server CPU: \(String(format: "%.2f s", median(cpus))), MB per CPU-second: \(String(format: "%.0f", Double(bytes) / median(cpus) / 1e6))"
        )
        return true
    }

    /// One fresh server, one import; answers wall and server CPU seconds.
    private func once(binary: String, directory: String, paths: [String]) -> (Double, Double)? {
        do {
            let server = try ServerProcess(binary: binary, directory: directory, extra: extra)
            defer { server.stop() }
            let admin = try LineClient(socketPath: server.socketPath)
            _ = try admin.call("session.open", params: #"{"customer":"operator"}"#)
            let pid = server.process.processIdentifier
            let perf = ProcessInfo.processInfo.environment["PERF_OUT"].map { startPerf(pid: pid, output: $0) }
            let cpuBefore = Self.cpuSeconds(pid: pid)
            let t = now()
            let list = paths.map { "\"\($0)\"" }.joined(separator: ",")
            let answer = try admin.call(
                "admin.import",
                params: "{\"paths\":[\(list)],\"region\":\"01\",\"mode\":\"\(mode)\",\"format\":\"\(format)\"}")
            let wall = now() - t
            let cpu = Self.cpuSeconds(pid: pid) - cpuBefore
            if let perf {
                kill(perf.processIdentifier, SIGINT)
                perf.waitUntilExit()
            }
            guard let result = answer["result"]?.objectValue, result["rejected"]?.int64Value == 0,
                (result["inserted"]?.int64Value ?? 0) + (result["updated"]?.int64Value ?? 0) == Int64(persons)
            else {
                print("import failed: \(answer)")
                return nil
            }
            print("  RSS after the import: \(server.residentBytes / 1_000_000) MB")
            return (wall, cpu)
        } catch {
            print("import failed: \(error)")
            return nil
        }
    }

    /// Reads at `readers` connections, quiet and during a second import, `runs` times.
    private func servingWhileImporting(binary: String, directory: String, paths: [String]) -> Bool {
        guard format == "ndjson" else {
            print("import --readers: NDJSON only")
            return false
        }
        var requests = RequestTable()
        for (n, id) in Self.ids(in: paths[0], count: 1 << 16).enumerated() {
            requests.append("{\"id\":\(n),\"method\":\"person.get\",\"params\":{\"id\":\"\(id)\"}}\n".utf8)
        }
        var rates: [Double] = [], p99s: [Double] = [], walls: [Double] = []
        for run in 1...runs {
            do {
                let server = try ServerProcess(binary: binary, directory: directory, extra: extra)
                defer { server.stop() }
                let admin = try LineClient(socketPath: server.socketPath)
                _ = try admin.call("session.open", params: #"{"customer":"operator"}"#)
                let list = paths.map { "\"\($0)\"" }.joined(separator: ",")
                _ = try admin.call("admin.import", params: "{\"paths\":[\(list)],\"region\":\"01\",\"mode\":\"delta\"}")
                var load = LoadGenerator(
                    socketPath: server.socketPath, connections: readers, depth: 1, seconds: seconds,
                    framer: NewlineFramer.self)
                load.preamble = [
                    Array(
                        "{\"id\":0,\"method\":\"session.open\",\"params\":{\"customer\":\"bench-region\",\"purpose\":\"care\",\"contract\":\"normal\"}}\n"
                            .utf8)
                ]
                let quiet = load.run(requests)
                let during = Background(load: load, requests: requests)
                let started = now()
                Thread.detachNewThread { [during] in during.run() }
                let answer = try admin.call(
                    "admin.import", params: "{\"paths\":[\(list)],\"region\":\"01\",\"mode\":\"full\"}")
                let wall = now() - started
                during.done.wait()
                guard answer["result"] != nil, let busy = during.result else {
                    print("import failed: \(answer)")
                    return false
                }
                let rate = busy.perSecond / quiet.perSecond, p99 = busy.p99 / quiet.p99
                print(
                    "  run \(run): quiet \(Int(quiet.perSecond)) reads/s p99 \(Int(quiet.p99)) µs; during the import (\(String(format: "%.1f", wall)) s, reads for the first \(seconds) s) \(Int(busy.perSecond)) reads/s p99 \(Int(busy.p99)) µs: \(String(format: "%.2f", rate))× the rate, p99 \(String(format: "%.1f", p99))×"
                )
                if wall < seconds { print("  (the import ended before the reads did: use a smaller --seconds)") }
                rates.append(rate)
                p99s.append(p99)
                walls.append(wall)
            } catch {
                print("import --readers failed: \(error)")
                return false
            }
        }
        rates.sort()
        p99s.sort()
        walls.sort()
        print(
            "  median: reads \(String(format: "%.2f", rates[rates.count / 2]))× their quiet rate, p99 \(String(format: "%.1f", p99s[p99s.count / 2]))× the quiet p99; import \(String(format: "%.1f", walls[walls.count / 2])) s"
        )
        return true
    }

    /// The personnummer of the first `count` lines of an NDJSON file.
    static func ids(in path: String, count: Int) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        let text = String(decoding: handle.readData(ofLength: count * 700), as: UTF8.self)
        var ids: [String] = []
        for line in text.split(separator: "\n").prefix(count) {
            guard let value = line.range(of: "\"value\":\"") else { continue }
            let id = line[value.upperBound...].prefix { $0 != "\"" }
            if id.count == 12 { ids.append(String(id)) }
        }
        return ids
    }

    private func startPerf(pid: Int32, output: String) -> Process {
        let perf = Process()
        perf.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        perf.arguments = ["perf", "record", "-g", "-F", "999", "-p", String(pid), "-o", output]
        perf.standardOutput = FileHandle.nullDevice
        perf.standardError = FileHandle.nullDevice
        try? perf.run()
        usleep(300_000)  // perf attaches
        return perf
    }

    /// User + system CPU seconds of a process so far (/proc/PID/stat).
    static func cpuSeconds(pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state is field 3; utime and stime are fields 14 and 15.
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The generated files, written once by `folkbok generate` and reused.
    private func data(binary: String) throws -> [String] {
        let base = NSTemporaryDirectory() + "folkbok-bench-import-data/\(format)-\(persons)-\(files)"
        if format == "navet" {
            let paths = (1...files).map { base + "/navet-\($0).xml" }
            if paths.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return paths }
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            try generate(
                binary: binary,
                [
                    "generate", String(persons), "--seed", "7", "--region", "01", "--format", "navet", "--files",
                    String(files), "--out", base,
                ],
                to: nil)
            return paths
        }
        let path = base + ".ndjson"
        if FileManager.default.fileExists(atPath: path) { return [path] }
        try FileManager.default.createDirectory(
            atPath: (base as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try generate(
            binary: binary, ["generate", String(persons), "--seed", "7", "--region", "01"], to: path + ".part")
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        return [path]
    }

    private func generate(binary: String, _ arguments: [String], to path: String?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let path {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: path)
        }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}

/// A read load run on a thread of its own; `result` is set before `done` is signalled and read
/// only after waiting for it.
private final class Background: @unchecked Sendable {
    let load: LoadGenerator<NewlineFramer>
    let requests: RequestTable
    var result: LoadGenerator<NewlineFramer>.Result?
    let done = DispatchSemaphore(value: 0)

    init(load: LoadGenerator<NewlineFramer>, requests: RequestTable) {
        self.load = load
        self.requests = requests
    }

    func run() {
        result = load.run(requests)
        done.signal()
    }
}
