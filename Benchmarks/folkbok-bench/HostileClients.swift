import CFolkbokSys
import Foundation
import Glibc
import Synchronization

/// One hostile client of `folkbok-bench hostile` (issue 18, "Connections"), run on a thread of
/// its own beside the normal clients:
/// - `.stalled`: `stalledConnections` connections, each sends half a request line and then
///   nothing;
/// - `.pipeliner`: one connection opens a session, then writes `person.get` requests as fast as
///   the socket takes them and never reads an answer;
/// - `.churner`: connects, sends a request on every other connection, closes without reading,
///   in a tight loop.
///
/// Guarantees: `start` returns once the hostile state is in place (every stalled connection
/// connected with its half line sent; the pipeliner's session open); `stop` returns once the
/// thread has ended and every connection it opened is closed; `actions` counts what it did
/// (stalled connections, requests sent whole, connections opened).
final class HostileClient: @unchecked Sendable {
    // @unchecked: the thread owns every mutable piece; the flags and counter are atomics.
    enum Kind: String, CaseIterable {
        case stalled = "stalls mid-line"
        case pipeliner = "pipelines without reading"
        case churner = "opens and drops connections"
    }

    let kind: Kind
    let socketPath: String
    let stalledConnections: Int
    let requests: [[UInt8]]
    /// What a connection sends before its first request (folkbok's `session.open`; nothing for Redis).
    let preamble: [UInt8]
    private let stopping = Atomic<Bool>(false)
    private let counted = Atomic<Int>(0)
    private let ready = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var began = 0.0
    private var ended = 0.0

    /// Half of a `person.get` line, no newline: what a stalled connection sends.
    static let halfLine = Array("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"1890".utf8)
    static let session = Array(
        "{\"id\":0,\"method\":\"session.open\",\"params\":{\"customer\":\"SE2321000016-0001\",\"purpose\":\"care\",\"contract\":\"normal\"}}\n"
            .utf8)

    init(kind: Kind, socketPath: String, stalledConnections: Int, requests: [[UInt8]], preamble: [UInt8] = session) {
        self.kind = kind
        self.socketPath = socketPath
        self.stalledConnections = stalledConnections
        self.requests = requests
        self.preamble = preamble
    }

    /// What the client did so far: connections stalled, requests pipelined or connections opened.
    var actions: Int { counted.load(ordering: .relaxed) }
    /// `actions` per second of the client's run (after `stop`).
    var actionsPerSecond: Double { ended > began ? Double(actions) / (ended - began) : 0 }

    func start() {
        Thread.detachNewThread { [self] in
            began = now()
            switch kind {
            case .stalled: stall()
            case .pipeliner: pipeline()
            case .churner: churn()
            }
            ended = now()
            finished.signal()
        }
        ready.wait()
    }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
    }

    private var stopped: Bool { stopping.load(ordering: .relaxed) }

    private func stall() {
        var fds: [Int32] = []
        for _ in 0..<stalledConnections {
            let fd = fb_unix_connect(socketPath)
            guard fd >= 0 else { continue }
            sendAll(fd, Self.halfLine)
            fds.append(fd)
            counted.add(1, ordering: .relaxed)
        }
        ready.signal()
        while !stopped { usleep(10_000) }
        for fd in fds { close(fd) }
    }

    private func pipeline() {
        let fd = fb_unix_connect(socketPath)
        guard fd >= 0 else {
            ready.signal()
            return
        }
        defer { close(fd) }
        sendAll(fd, Self.session)
        readReplies(fd, count: 1, framer: NewlineFramer.self)
        _ = fb_set_nonblocking(fd)
        ready.signal()
        var batch: [UInt8] = []
        for i in 0..<64 { batch += requests[(i &* 7919) % requests.count] }
        var offset = 0
        while !stopped {
            let n = batch.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
                if offset == batch.count {
                    offset = 0
                    counted.add(64, ordering: .relaxed)
                }
            } else if errno == EAGAIN || errno == EINTR {
                usleep(1000)
            } else {
                return
            }
        }
    }

    private func churn() {
        ready.signal()
        var round = 0
        while !stopped {
            let fd = fb_unix_connect(socketPath)
            guard fd >= 0 else {
                usleep(100)
                continue
            }
            round += 1
            if round % 2 == 0 { sendAll(fd, preamble + requests[round % requests.count]) }
            close(fd)
            counted.add(1, ordering: .relaxed)
        }
    }
}
