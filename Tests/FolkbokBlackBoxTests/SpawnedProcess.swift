import Foundation
import Glibc

/// A child started with `posix_spawn`, so the test controls its descriptors: stdin from
/// /dev/null, stdout and stderr together into one file, and optionally a socket of the test's at
/// descriptor 3 (as systemd's socket activation passes it).
final class SpawnedProcess {
    let pid: pid_t
    private var status: Int32?

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(_ arguments: [String], environment: [String: String] = [:], descriptor3: Int32? = nil, output: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Through a high copy, so dup2 always makes a new descriptor 3 (dup2 clears close-on-exec).
        var copy: Int32 = -1
        if let descriptor3 {
            copy = fcntl(descriptor3, F_DUPFD_CLOEXEC, 100)
            guard copy >= 0 else { throw Failure(description: "dup: \(String(cString: strerror(errno)))") }
            posix_spawn_file_actions_adddup2(&actions, copy, 3)
        }
        defer { if copy >= 0 { close(copy) } }

        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        for name in ["LISTEN_PID", "LISTEN_FDS", "NOTIFY_SOCKET"] where environment[name] == nil { env[name] = nil }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var child = pid_t()
        let rc = posix_spawn(&child, arguments[0], &actions, nil, argv, envp)
        guard rc == 0 else {
            throw Failure(description: "posix_spawn \(arguments[0]): \(String(cString: strerror(rc)))")
        }
        pid = child
    }

    var isRunning: Bool {
        guard status == nil else { return false }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
        return status == nil
    }

    /// SIGTERM, then the exit code (128 + signal when killed by one).
    @discardableResult
    func stop(signal sig: Int32 = SIGTERM) -> Int32 {
        if isRunning { kill(pid, sig) }
        return waitForExit()
    }

    func waitForExit() -> Int32 {
        if status == nil {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            status = raw
        }
        let raw = status!
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : 128 + (raw & 0x7f)
    }

    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            _ = waitForExit()
        }
    }
}
