import CFolkbokSys
import Glibc

/// A single-threaded epoll load generator: `connections` sockets, each keeping `depth`
/// requests in flight, for `seconds`. Measures completed requests and per-request latency.
///
/// Requests come from `makeRequest(connection, sequence)` and must each produce exactly one
/// response line (or, with `respTerminator`, one RESP reply ending in CRLF).
struct LoadGenerator {
    var socketPath: String
    var connections: Int
    var depth: Int
    var seconds: Double
    /// Lines sent once per connection before the timed run (e.g. `session.open`), each answered by one line.
    var preamble: [[UInt8]] = []

    struct Result {
        var requests: Int
        var seconds: Double
        var p50: Double
        var p99: Double
        var perSecond: Double { Double(requests) / seconds }
    }

    func run(makeRequest: (Int, Int) -> [UInt8]) -> Result {
        let ep = fb_epoll_create()
        var fds: [Int32] = []
        for _ in 0..<connections {
            let fd = fb_unix_connect(socketPath)
            precondition(fd >= 0, "cannot connect to \(socketPath)")
            for line in preamble { sendAll(fd, line); _ = readLines(fd, count: 1) }
            _ = fb_set_nonblocking(fd)
            fds.append(fd)
            _ = fb_epoll_add(ep, fd, UInt32(FB_EV_IN), UInt64(fds.count - 1))
        }
        var sentAt = [[Double]](repeating: [], count: connections)
        var head = [Int](repeating: 0, count: connections)
        var sequence = [Int](repeating: 0, count: connections)
        var latencies: [Double] = []
        latencies.reserveCapacity(1 << 20)
        let start = now()
        let end = start + seconds
        for c in 0..<connections {
            var batch: [UInt8] = []
            for _ in 0..<depth {
                batch += makeRequest(c, sequence[c]); sequence[c] += 1
                sentAt[c].append(start)
            }
            sendAll(fds[c], batch)
        }
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        var events = [fb_event](repeating: fb_event(), count: 256)
        var done = 0
        var open = connections
        var stopping = false
        while open > 0 {
            let n = fb_epoll_wait(ep, &events, 256, 1000)
            let t = now()
            if t >= end { stopping = true }
            for i in 0..<max(0, Int(n)) {
                let c = Int(events[i].token)
                let got = buffer.withUnsafeMutableBytes { read(fds[c], $0.baseAddress, $0.count) }
                guard got > 0 else { continue }
                var answered = 0
                for j in 0..<got where buffer[j] == 0x0A { answered += 1 }
                var next: [UInt8] = []
                for _ in 0..<answered {
                    latencies.append(t - sentAt[c][head[c]])
                    head[c] += 1
                    done += 1
                    if !stopping {
                        next += makeRequest(c, sequence[c]); sequence[c] += 1
                        sentAt[c].append(t)
                    }
                }
                if head[c] > 4096 { sentAt[c].removeFirst(head[c]); head[c] = 0 }
                if !next.isEmpty { sendAll(fds[c], next) }
                if stopping && head[c] == sentAt[c].count {
                    _ = fb_epoll_del(ep, fds[c])
                    open -= 1
                }
            }
            if stopping && now() > end + 10 { break }
        }
        let elapsed = now() - start
        for fd in fds { close(fd) }
        close(ep)
        latencies.sort()
        func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(requests: done, seconds: elapsed, p50: pct(0.5) * 1e6, p99: pct(0.99) * 1e6)
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
        if n > 0 { offset += n } else if errno == EAGAIN || errno == EINTR { usleep(50) } else { return }
    }
}

/// Blocking read of `count` lines (used before the socket is made non-blocking).
func readLines(_ fd: Int32, count: Int) -> [UInt8] {
    var all: [UInt8] = []
    var byte = [UInt8](repeating: 0, count: 65536)
    while all.filter({ $0 == 0x0A }).count < count {
        let n = byte.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        all += byte[0..<n]
    }
    return all
}
