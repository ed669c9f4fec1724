import CFolkbokSys
import FolkbokProtocol
import Glibc
import Synchronization

/// The Unix-socket JSON-RPC server: `loops` event-loop threads, each owning the connections it
/// accepted and answering their lookups itself (reading the shards through their views, no
/// hop); writes, searches and other slow work run on the concurrency pool and come back
/// through the owning loop's completion queue.
///
/// Guarantees: per connection, responses in request order; a connection that does not read its
/// responses is paused (backpressure) without stalling others; at most `maxConnections` open
/// over all loops; on `requestShutdown` every loop stops accepting, answers every request it
/// has read, then closes, and `run` returns once all have.
public final class Server: Sendable {
    let config: ServerConfig
    let listenFD: Int32
    /// Where clients connect: `config.socketPath`, or the inherited listener's own path.
    public let socketPath: String
    let loops: [EventLoop]
    /// What the loops share: the connection count and the unfinished-line ledger.
    let limits: SharedLimits
    private let listenerClosed = Atomic<Bool>(false)

    public init(service: Service, config: ServerConfig) throws(ServerStartError) {
        precondition(config.loops >= 1, "a server needs at least one event loop")
        Listener.raiseFileLimit()
        signal(SIGPIPE, SIG_IGN)
        self.config = config
        if let inherited = config.inheritedListener {
            listenFD = inherited
            socketPath = try Listener.adopt(inherited)
        } else {
            listenFD = try Listener.open(path: config.socketPath)
            socketPath = config.socketPath
        }
        limits = SharedLimits(loops: config.loops)
        var made: [EventLoop] = []
        for index in 0..<config.loops {
            made.append(
                try EventLoop(index: index, service: service, config: config, listenFD: listenFD, limits: limits))
        }
        loops = made
        for loop in loops { loop.siblings = loops }
    }

    /// Checks, before any slow start-up work, that an inherited descriptor is a listening Unix
    /// stream socket (`ServerConfig.inheritedListener`); answers its path.
    public static func checkInheritedListener(_ fd: Int32) throws(ServerStartError) -> String {
        try Listener.adopt(fd)
    }

    /// Asks the server to drain and stop. Safe from any thread (and from a signal handler's queue).
    public func requestShutdown() {
        for loop in loops { loop.requestShutdown() }
    }

    /// Runs every event loop, the first on the calling thread, until shutdown has drained.
    public func run() {
        let threads = loops.dropFirst().map { loop in
            EventLoopThread { loop.run(closingListener: self.closeListener) }
        }
        loops[0].run(closingListener: closeListener)
        for thread in threads { thread.join() }
    }

    /// Stops listening (once, whichever loop drains first): the socket file goes away unless it
    /// was inherited (systemd keeps that one and starts the server again on the next connection).
    func closeListener() {
        guard !listenerClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if config.inheritedListener == nil { unlink(config.socketPath) }
        close(listenFD)
    }
}

/// A joinable thread running one event loop.
final class EventLoopThread: @unchecked Sendable {
    // @unchecked: `thread` is set once in init and then only joined.
    private var thread = pthread_t()
    private let body: () -> Void

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
        let context = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(
            &thread, nil,
            { raw in
                let me = Unmanaged<EventLoopThread>.fromOpaque(raw!).takeRetainedValue()
                me.body()
                return nil
            }, context)
        precondition(rc == 0, "cannot start an event-loop thread: \(rc)")
    }

    func join() { pthread_join(thread, nil) }
}
