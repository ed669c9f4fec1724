import CFolkbokSys
import FolkbokModel
import FolkbokProtocol
import Glibc
import Synchronization

/// The Unix-socket JSON-RPC server: one epoll thread does all socket I/O and framing; engine
/// work runs on the concurrency pool, one task per event-loop turn for all the lookups read in
/// that turn (never one per request), and comes back through a completion queue.
///
/// Guarantees: per connection, responses in request order; a connection that does not read
/// its responses is paused (backpressure) without stalling others; on `requestShutdown` the
/// server stops accepting, answers every request it has read, then closes and `run` returns.
public final class Server: @unchecked Sendable {
    // @unchecked: everything below `loop state` is touched only by the thread inside `run()`;
    // other threads use only `completions`, `shutdownRequested` and `wakeFD` (an eventfd).
    let service: Service
    let config: ServerConfig
    let epollFD: Int32
    let listenFD: Int32
    let wakeFD: Int32
    let completions = Mutex<[Completion]>([])
    /// Access-log durability reports (through seq, succeeded) for `parked` answers.
    let auditNotices = Mutex<[(UInt64, Bool)]>([])
    let shutdownRequested = Atomic<Bool>(false)

    // loop state
    var connections: [UInt64: Connection] = [:]
    var nextToken: UInt64 = 2
    /// Answers waiting for their access-log entries to be durable (strict mode), in the
    /// order their entries were queued (so by `auditSeq`).
    var parked: [ParkedAnswer] = []
    /// The newest access-log seq the loop has asked to be woken for.
    var durabilityRequested: UInt64 = 0
    var spareFD: Int32 = -1
    var draining = false
    /// Bytes of unfinished lines held over all connections (`ServerConfig.maxInputMemory`).
    var inputBytes = 0
    /// When unfinished lines are next checked for the line timeout.
    var nextLineSweep = 0.0
    /// Scratch space for `read`; lives as long as the server (the process).
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)

    static let listenToken: UInt64 = 0
    static let wakeToken: UInt64 = 1

    struct Completion: Sendable {
        let token: UInt64
        let seq: UInt64
        let bytes: [UInt8]
        let endsSlow: Bool
        /// For streamed lines ahead of the answer: resumes the producer (false: connection gone).
        var resume: (@Sendable (Bool) -> Void)? = nil
    }

    /// A rendered answer held until its access-log entries are durable.
    struct ParkedAnswer {
        let token: UInt64
        let seq: UInt64
        let auditSeq: UInt64
        let bytes: [UInt8]
        let ifAuditFails: [UInt8]
    }

    public init(service: Service, config: ServerConfig) throws(ServerStartError) {
        Listener.raiseFileLimit()
        signal(SIGPIPE, SIG_IGN)
        self.service = service
        self.config = config
        listenFD = try Listener.open(path: config.socketPath)
        epollFD = fb_epoll_create()
        wakeFD = fb_eventfd()
        spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        guard epollFD >= 0, wakeFD >= 0,
              fb_epoll_add(epollFD, listenFD, UInt32(FB_EV_IN), Server.listenToken) == 0,
              fb_epoll_add(epollFD, wakeFD, UInt32(FB_EV_IN), Server.wakeToken) == 0 else {
            throw ServerStartError(description: "cannot set up epoll: \(String(cString: strerror(errno)))")
        }
    }

    /// Asks the server to drain and stop. Safe from any thread (and from a signal handler's queue).
    public func requestShutdown() {
        shutdownRequested.store(true, ordering: .releasing)
        wake()
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Runs the event loop on the calling thread until shutdown has drained.
    public func run() {
        var events = [fb_event](repeating: fb_event(), count: 256)
        var drainDeadline = 0.0
        while true {
            // While a line is unfinished, wake at least each second to enforce the line timeout.
            let timeout: Int32 = draining ? 50 : (inputBytes > 0 ? 1000 : -1)
            let n = fb_epoll_wait(epollFD, &events, Int32(events.count), timeout)
            if n < 0 && errno != EINTR { break }
            for i in 0..<max(0, Int(n)) {
                let ev = events[i]
                switch ev.token {
                case Server.listenToken: acceptAll()
                case Server.wakeToken: drainCompletions()
                default: handle(events: ev.events, token: ev.token)
                }
            }
            awaitDurability()
            if inputBytes > 0 { closeStalledLines() }
            if !draining && shutdownRequested.load(ordering: .acquiring) {
                beginDrain()
                drainDeadline = monotonicSeconds() + config.drainSeconds
            }
            if draining && (connections.values.allSatisfy { $0.inFlight == 0 && $0.pendingOutput == 0 } || monotonicSeconds() > drainDeadline) {
                break
            }
        }
        for connection in connections.values { closeConnection(connection) }
        close(epollFD)
    }

    private func beginDrain() {
        draining = true
        _ = fb_epoll_del(epollFD, listenFD)
        close(listenFD)
        unlink(config.socketPath)
        for connection in connections.values {
            connection.readClosed = true
            processFrames(connection)
            updateInterest(connection)
        }
        awaitDurability()
    }

    private func acceptAll() {
        while true {
            let fd = fb_accept_nonblocking(listenFD)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: free the spare, accept and drop one client, keep the spare.
                    close(spareFD)
                    let victim = fb_accept_nonblocking(listenFD)
                    if victim >= 0 { refuse(victim) }
                    spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
                    continue
                }
                return
            }
            guard connections.count < config.maxConnections else {
                refuse(fd)
                continue
            }
            var uid: UInt32 = UInt32.max
            _ = fb_peer_uid(fd, &uid)
            let token = nextToken
            nextToken += 1
            let connection = Connection(fd: fd, token: token, uid: uid, maxLine: config.maxLine)
            connection.interest = UInt32(FB_EV_IN | FB_EV_RDHUP)
            guard fb_epoll_add(epollFD, fd, connection.interest, token) == 0 else {
                close(fd)
                continue
            }
            connections[token] = connection
            service.gauges.connections.add(1, ordering: .relaxed)
        }
    }
}
