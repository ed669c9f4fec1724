import CFolkbokSys
import FolkbokAudit
import FolkbokJSON
import FolkbokModel
import FolkbokProtocol
import FolkbokSync
import Glibc
import Synchronization

/// One event-loop thread: its own epoll, the connections it accepted, their framing, their
/// lookups (answered here, from the shards' views), and the answers of slow work, which come
/// back through its completion queue.
///
/// Guarantees: everything below `loop state` is touched only by the thread inside `run`;
/// other threads use only `completions`, `auditNotices`, `kills`, `adoptions`, `owned`,
/// `shutdownRequested` and `wakeFD` (an eventfd), through `post`, `postKill`, `place`,
/// `requestShutdown` and `wake`.
final class EventLoop: @unchecked Sendable {
    // @unchecked: the split above is the synchronisation (loop state is confined to one thread).
    let index: Int
    let service: Service
    let config: ServerConfig
    let limits: SharedLimits
    /// This loop's request and connection counts (written only by this loop's thread).
    let metrics: LoopMetrics
    let epollFD: Int32
    let listenFD: Int32
    let wakeFD: Int32
    let completions = Locked<[Completion]>([])
    /// Access-log verdicts on `parked` answers: the ordinals they cover, and whether durable.
    let auditNotices = Locked<[ParkedVerdict]>([])
    /// Connections another loop chose to close for the input limit.
    let kills = Locked<[UInt64]>([])
    /// Connections another loop accepted and gave to this one (`EventLoop+Balance.swift`).
    let adoptions = Locked<[Adoption]>([])
    /// Connections this loop owns, including those handed to it and not registered yet.
    let owned = Atomic<Int>(0)
    let shutdownRequested = Atomic<Bool>(false)
    /// Every loop of the server (this one included), set once before any runs.
    var siblings: [EventLoop] = []

    // loop state
    var connections: [UInt64: Connection] = [:]
    var nextToken: UInt64 = 2
    /// Answers waiting for their access-log entries to be durable (strict mode), in the
    /// order their entries were queued; `parked[0]` has ordinal `parkedFront`.
    var parked: [ParkedAnswer] = []
    var parkedFront = 0
    /// Parked answers with ordinals below this have a durability request out.
    var parkedRequested = 0
    /// The bytes of parked answers rendered in place, oldest first; index 0 is position
    /// `parkedBytesBase` of everything ever parked here.
    var parkedBytes: [UInt8] = []
    var parkedBytesBase = 0
    /// Verdicts received, by the first ordinal they cover.
    var verdicts: [Int: ParkedVerdict] = [:]
    var spareFD: Int32 = -1
    var draining = false
    /// Bytes of unfinished lines held by this loop's connections (the server-wide total is
    /// in `limits`).
    var inputBytes = 0
    /// When unfinished lines are next checked for the line timeout.
    var nextLineSweep = 0.0
    /// This loop's share of `--max-connection-rate`.
    var pacer: AcceptPacer
    /// While the pacer is dry the listener is out of this loop's epoll, until this time.
    var listenerPausedUntil: Double?
    /// Scratch space for `read`; lives as long as the loop (the process).
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    /// Where `person.get` answers are rendered before they are copied to their connection's
    /// output, reused for every answer (its storage is allocated once).
    var scratch = JSONWriter(capacity: 4096)

    static let listenToken: UInt64 = 0
    static let wakeToken: UInt64 = 1

    struct Completion: Sendable {
        let token: UInt64
        let seq: UInt64
        let bytes: [UInt8]
        let endsSlow: Bool
        /// For streamed lines ahead of the answer: resumes the producer (false: connection gone).
        var resume: (@Sendable (Bool) -> Void)? = nil
        /// What the request was (`RequestMethod`) and when it was read, for the metrics.
        var method = RequestMethod.blank
        var startedAt = 0.0
    }

    /// A rendered answer held until its access-log entries are durable.
    struct ParkedAnswer {
        let token: UInt64
        let seq: UInt64
        let ticket: AuditTicket
        let bytes: ParkedBytes
        let ifAuditFails: Refusal
        /// What the request was (`RequestMethod`) and when it was read, for the metrics.
        let method: Int
        let startedAt: Double
    }

    /// Where a parked answer's bytes are: its own array, or a range of `parkedBytes` (the
    /// common `person.get`, so parking allocates nothing per answer).
    enum ParkedBytes {
        case own([UInt8])
        /// Positions in the stream of bytes ever parked (`parkedBytesBase` is the first kept).
        case arena(Range<Int>)
    }

    /// The access log's word on the parked answers with ordinals `from..<upTo`.
    struct ParkedVerdict: Sendable {
        let from: Int
        let upTo: Int
        let durable: Bool
    }

    init(index: Int, service: Service, config: ServerConfig, listenFD: Int32, limits: SharedLimits)
        throws(ServerStartError)
    {
        self.index = index
        self.service = service
        self.config = config
        self.limits = limits
        self.metrics = service.metrics.addLoop()
        self.listenFD = listenFD
        epollFD = fb_epoll_create()
        wakeFD = fb_eventfd()
        spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let share = Double(config.maxConnectionRate) / Double(config.loops)
        pacer = AcceptPacer(rate: share, burst: share, now: monotonicSeconds())
        // EPOLLEXCLUSIVE: a new connection wakes one loop, not all of them.
        guard epollFD >= 0, wakeFD >= 0,
            fb_epoll_add(epollFD, listenFD, UInt32(FB_EV_IN) | UInt32(FB_EV_EXCLUSIVE), EventLoop.listenToken) == 0,
            fb_epoll_add(epollFD, wakeFD, UInt32(FB_EV_IN), EventLoop.wakeToken) == 0
        else {
            throw ServerStartError(description: "cannot set up epoll: \(String(cString: strerror(errno)))")
        }
    }

    func requestShutdown() {
        shutdownRequested.store(true, ordering: .releasing)
        wake()
    }

    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Runs the loop on the calling thread until shutdown has drained; `closingListener` is
    /// called as draining begins.
    func run(closingListener: () -> Void) {
        var events = [fb_event](repeating: fb_event(), count: 256)
        var drainDeadline = 0.0
        while true {
            // While a line is unfinished, wake at least each second to enforce the line timeout;
            // while the listener is paused, when it is due back.
            var timeout: Int32 = draining ? 50 : (inputBytes > 0 ? 1000 : -1)
            if let until = listenerPausedUntil {
                let due = Int32(max(1, ((until - monotonicSeconds()) * 1000).rounded(.up)))
                timeout = timeout < 0 ? due : min(timeout, due)
            }
            let n = fb_epoll_wait(epollFD, &events, Int32(events.count), timeout)
            if n < 0 && errno != EINTR { break }
            for i in 0..<max(0, Int(n)) {
                let ev = events[i]
                switch ev.token {
                case EventLoop.listenToken: if !draining { acceptAll() }
                case EventLoop.wakeToken: drainCompletions()
                default: handle(events: ev.events, token: ev.token)
                }
            }
            finishTurn()
            if inputBytes > 0 { closeStalledLines() }
            if listenerPausedUntil != nil { resumeListenerIfDue() }
            if !draining && shutdownRequested.load(ordering: .acquiring) {
                beginDrain(closingListener)
                drainDeadline = monotonicSeconds() + config.drainSeconds
            }
            if draining
                && (connections.values.allSatisfy { $0.inFlight == 0 && $0.pendingOutput == 0 }
                    || monotonicSeconds() > drainDeadline)
            {
                break
            }
        }
        for connection in connections.values { closeConnection(connection) }
        for late in adoptions.withLock({ $0 }) {
            close(late.fd)
            limits.releaseConnection()
        }
        close(epollFD)
    }

    private func beginDrain(_ closingListener: () -> Void) {
        draining = true
        if listenerPausedUntil == nil { _ = fb_epoll_del(epollFD, listenFD) }
        listenerPausedUntil = nil
        closingListener()
        for connection in connections.values {
            connection.end(.inputEnded)
            processFrames(connection)
            updateInterest(connection)
        }
        finishTurn()
    }

    /// Connections accepted per wake-up at most: the listener is level-triggered, so more wait
    /// for the next loop turn, after the ready connections had theirs (a client that connects
    /// and drops in a tight loop cannot keep a loop accepting; Redis caps it the same way).
    static let acceptsPerTurn = 4

    private func acceptAll() {
        for _ in 0..<Self.acceptsPerTurn {
            guard pacer.admit(now: monotonicSeconds()) else { return pauseListener() }
            let fd = fb_accept_nonblocking(listenFD)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE {
                    // Out of descriptors: free the spare, accept and refuse one client, keep the spare.
                    close(spareFD)
                    let victim = fb_accept_nonblocking(listenFD)
                    if victim >= 0 { refuse(victim) }
                    spareFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
                    continue
                }
                return
            }
            guard limits.admitConnection(max: config.maxConnections) else {
                refuse(fd)
                continue
            }
            var uid: UInt32 = UInt32.max
            _ = fb_peer_uid(fd, &uid)
            place(fd: fd, uid: uid)
        }
    }
}
