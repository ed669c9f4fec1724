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
/// `PERF_OUT=FILE` records the server with `perf record -g` during each import (the last run's
/// profile is kept).
struct ImportBench {
    var persons = 1_000_000
    var format = "ndjson"
    var files = 1
    var runs = 3
    var mode = "full"
    var extra: [String] = []

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
            default:
                print(
                    "usage: folkbok-bench import [--persons N] [--format ndjson|navet] [--files K] [--runs R] [--mode full|delta] [--serve-arg ARG]..."
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
        let bytes = paths.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
        print(
            "import: \(persons) persons, \(format), \(paths.count) file\(paths.count == 1 ? "" : "s"), \(String(format: "%.1f", Double(bytes) / 1e6)) MB, mode \(mode), \(runs) run\(runs == 1 ? "" : "s"), \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        let directory = NSTemporaryDirectory() + "folkbok-bench-import-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
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
                ["generate", String(persons), "--seed", "7", "--region", "01", "--format", "navet", "--files", String(files), "--out", base],
                to: nil)
            return paths
        }
        let path = base + ".ndjson"
        if FileManager.default.fileExists(atPath: path) { return [path] }
        try FileManager.default.createDirectory(
            atPath: (base as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try generate(binary: binary, ["generate", String(persons), "--seed", "7", "--region", "01"], to: path + ".part")
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
        return [path]
    }

    private func generate(binary: String, _ arguments: [String], to path: String?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let path {
            FileManager.default.createFile(atPath: path, contents: nil)
            process.standardOutput = FileHandle(forWritingAtPath: path)
        }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
