import CFolkbokSys
import Foundation
import Glibc

/// A single-threaded epoll load generator: `connections` sockets, each keeping `depth`
/// requests in flight, for `seconds`. Measures completed requests and per-request latency.
///
/// Connection `c` sends requests `(c * 7919 + s) % requests.count` for s = 0, 1, 2, …, so every
/// server sees the same keys in the same order. Each request must produce exactly one reply as
/// `Framer` counts them. The hot loop allocates nothing: requests are copied from the table into
/// one reused send buffer, send times live in a fixed ring per connection.
struct LoadGenerator<Framer: ReplyFramer> {
    var socketPath: String
    var connections: Int
    var depth: Int
    var seconds: Double
    /// Requests sent once per connection before the timed run (e.g. `session.open`), each answered by one reply.
    var preamble: [[UInt8]] = []
    /// The server's process, to report its CPU use over the run (nil: an in-process null server).
    var serverPID: Int32?

    struct Result {
        var requests: Int
        var seconds: Double
        var p50: Double
        var p99: Double
        var p999: Double
        var max: Double
        /// Replies the framer saw as errors or nil, and connections the server closed early.
        var failures: Int
        /// CPU time over wall time of the run (1 = one core busy): this generator's thread, and the server's process.
        var generatorCPU: Double
        var serverCPU: Double
        var perSecond: Double { Double(requests) / seconds }
    }

    init(socketPath: String, connections: Int, depth: Int, seconds: Double, framer: Framer.Type = Framer.self) {
        self.socketPath = socketPath
        self.connections = connections
        self.depth = depth
        self.seconds = seconds
    }

    func run(_ requests: RequestTable) -> Result {
        let ep = fb_epoll_create()
        var fds: [Int32] = []
        for _ in 0..<connections {
            let fd = fb_unix_connect(socketPath)
            precondition(fd >= 0, "cannot connect to \(socketPath)")
            for request in preamble {
                sendAll(fd, request)
                readReplies(fd, count: 1, framer: Framer.self)
            }
            _ = fb_set_nonblocking(fd)
            fds.append(fd)
            _ = fb_epoll_add(ep, fd, UInt32(FB_EV_IN), UInt64(fds.count - 1))
        }
        var framers = [Framer](repeating: Framer(), count: connections)
        var sentAt = [Double](repeating: 0, count: connections * depth)
        var answered = [Int](repeating: 0, count: connections)
        var sequence = [Int](repeating: 0, count: connections)
        var latencies: [Double] = []
        latencies.reserveCapacity(1 << 22)
        let out = UnsafeMutableRawPointer.allocate(byteCount: max(1, depth * requests.longest), alignment: 8)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 8)
        defer {
            out.deallocate()
            buffer.deallocate()
        }
        var events = [fb_event](repeating: fb_event(), count: 256)
        var done = 0, closedEarly = 0
        let cpuBefore = (
            generator: cpuSeconds("/proc/thread-self/stat"),
            server: serverPID.map { cpuSeconds("/proc/\($0)/stat") } ?? 0
        )
        let start = now()
        requests.bytes.withUnsafeBytes { table in
            /// Appends the connection's next request at `out + length`; answers the new length.
            func enqueue(_ c: Int, at length: Int, time: Double) -> Int {
                let i = (c &* 7919 &+ sequence[c]) % requests.count
                let start = requests.starts[i], size = requests.starts[i + 1] - start
                (out + length).copyMemory(from: table.baseAddress! + start, byteCount: size)
                sentAt[c * depth + sequence[c] % depth] = time
                sequence[c] += 1
                return length + size
            }
            let end = start + seconds
            for c in 0..<connections {
                var length = 0
                for _ in 0..<depth { length = enqueue(c, at: length, time: start) }
                sendAll(fds[c], UnsafeRawBufferPointer(start: out, count: length))
            }
            var open = connections
            var stopping = false
            while open > 0 {
                let n = fb_epoll_wait(ep, &events, 256, 1000)
                let t = now()
                if t >= end { stopping = true }
                for e in 0..<max(0, Int(n)) {
                    let c = Int(events[e].token)
                    let got = read(fds[c], buffer.baseAddress, buffer.count)
                    if got < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                    guard got > 0 else {
                        _ = fb_epoll_del(ep, fds[c])
                        open -= 1
                        closedEarly += 1
                        continue
                    }
                    let replies = framers[c].consume(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
                    var length = 0
                    for _ in 0..<replies {
                        latencies.append(t - sentAt[c * depth + answered[c] % depth])
                        answered[c] += 1
                        if !stopping { length = enqueue(c, at: length, time: t) }
                    }
                    done += replies
                    if length > 0 { sendAll(fds[c], UnsafeRawBufferPointer(start: out, count: length)) }
                    if stopping && answered[c] == sequence[c] {
                        _ = fb_epoll_del(ep, fds[c])
                        open -= 1
                    }
                }
                if stopping && now() > end + 10 { break }
            }
        }
        let elapsed = now() - start
        let generatorCPU = (cpuSeconds("/proc/thread-self/stat") - cpuBefore.generator) / elapsed
        let serverCPU = ((serverPID.map { cpuSeconds("/proc/\($0)/stat") } ?? 0) - cpuBefore.server) / elapsed
        for fd in fds { close(fd) }
        close(ep)
        latencies.sort()
        func pct(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
        }
        let failures = framers.reduce(closedEarly) { $0 + $1.failures }
        return Result(
            requests: done, seconds: elapsed, p50: pct(0.5) * 1e6, p99: pct(0.99) * 1e6, p999: pct(0.999) * 1e6,
            max: (latencies.last ?? 0) * 1e6, failures: failures,
            generatorCPU: generatorCPU, serverCPU: serverCPU)
    }
}

/// User plus system CPU seconds from a `/proc/…/stat` file (fields 14 and 15, after the command name).
func cpuSeconds(_ statPath: String) -> Double {
    guard let text = try? String(contentsOfFile: statPath, encoding: .utf8), let close = text.lastIndex(of: ")") else {
        return 0
    }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { sendAll(fd, $0) }
}

/// Sends every byte, waiting briefly when a non-blocking socket is full.
func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
        if n > 0 { offset += n } else if errno == EAGAIN || errno == EINTR { usleep(50) } else { return }
    }
}

/// Blocking read of `count` replies (used before the socket is made non-blocking); answers
/// the bytes read, which are exactly those replies when nothing else was in flight.
@discardableResult
func readReplies<F: ReplyFramer>(_ fd: Int32, count: Int, framer: F.Type) -> [UInt8] {
    var framer = F()
    var all: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    var seen = 0
    while seen < count {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        seen += chunk.withUnsafeBytes { framer.consume(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        all += chunk[0..<n]
    }
    return all
}
