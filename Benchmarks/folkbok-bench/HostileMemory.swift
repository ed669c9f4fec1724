import CFolkbokSys
import Foundation
import Glibc

/// The server's memory per connection, measured from outside: its resident set (`VmRSS`)
/// with `count` connections open, less before they were opened, over `count`.
///
/// Guarantees: every connection opened here is closed before `measure` returns, and the
/// server is given time to see them close, so measurements do not add up.
struct HostileMemory {
    let socketPath: String
    let serverPID: Int32

    /// Bytes per connection while `count` connections are open; each first sends `first`
    /// (nothing: idle; half a line: stalled mid-line).
    func measure(count: Int, first: [UInt8]) -> (perConnection: Double, opened: Int) {
        usleep(300_000)
        let before = residentBytes()
        var fds: [Int32] = []
        fds.reserveCapacity(count)
        for _ in 0..<count {
            let fd = fb_unix_connect(socketPath)
            guard fd >= 0 else { break }
            if !first.isEmpty { sendAll(fd, first) }
            fds.append(fd)
        }
        // The server accepts and reads on its own threads: give it time, then prove it answers.
        usleep(500_000)
        if let probe = LineClientProbe(socketPath: socketPath) { probe.ping() }
        usleep(200_000)
        let after = residentBytes()
        for fd in fds { close(fd) }
        usleep(300_000)
        return (fds.isEmpty ? 0 : Double(after - before) / Double(fds.count), fds.count)
    }

    /// The server's resident set in bytes (`VmRSS` of `/proc/<pid>/status`).
    func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(serverPID)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}

/// One blocking `ping` on a fresh connection (that the server still answers).
struct LineClientProbe {
    let fd: Int32

    init?(socketPath: String) {
        fd = fb_unix_connect(socketPath)
        if fd < 0 { return nil }
    }

    /// Sends a ping and waits for its answer line; answers whether one came.
    @discardableResult
    func ping() -> Bool {
        defer { close(fd) }
        sendAll(fd, Array("{\"id\":1,\"method\":\"ping\"}\n".utf8))
        return !readReplies(fd, count: 1, framer: NewlineFramer.self).isEmpty
    }
}
