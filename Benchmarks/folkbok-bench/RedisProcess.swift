import Foundation
import Glibc

/// A `redis-server` child on its own Unix socket in `directory` (no TCP port, no RDB save
/// points, no append-only file unless `extra` asks for one), its RDB file `dump.rdb` in the
/// same directory. `stop()` ends exactly this process, by its process id.
final class RedisProcess {
    let process = Process()
    let socketPath: String
    /// When the child was launched (monotonic seconds), for restart timings.
    let launchedAt: Double

    /// The `redis-server` on PATH, or nil.
    static func locate() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(dir)/redis-server"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Starts the server and waits until its socket accepts a connection (it may still be
    /// loading its RDB then: commands answer `-LOADING` until it is done).
    init(binary: String, directory: String, extra: [String] = []) throws {
        socketPath = directory + "/redis.sock"
        unlink(socketPath)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "--port", "0", "--unixsocket", socketPath, "--unixsocketperm", "700", "--dir", directory,
                "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--logfile", directory + "/redis.log",
            ] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        launchedAt = now()
        try process.run()
        for _ in 0..<60_000 {
            if RESPClient(socketPath: socketPath) != nil { return }
            guard process.isRunning else { break }
            usleep(200)
        }
        stop()
        throw CompareFailure(description: "redis-server did not start; see \(directory)/redis.log")
    }

    var residentBytes: Int { residentBytesOf(pid: process.processIdentifier) }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}

struct CompareFailure: Error, CustomStringConvertible {
    let description: String
}

/// Resident set size of a process, from `/proc/PID/statm`.
func residentBytesOf(pid: Int32) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}
