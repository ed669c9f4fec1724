/// Socket-level settings of the server, with the defaults docs/PROTOCOL.md names.
public struct ServerConfig: Sendable {
    public var socketPath: String
    /// Longest request line, terminator excluded (`--max-line`).
    public var maxLine: Int = 1 << 20
    /// Requests one connection may have in flight before the server stops reading it.
    public var maxInFlightPerConnection: Int = 256
    /// Unsent response bytes one connection may hold before the server stops reading it.
    public var maxPendingOutput: Int = 4 << 20
    /// Event-loop threads (`--loops`), each owning the connections it accepts.
    public var loops: Int = 1
    /// Open connections at most (`--max-connections`); one more gets a 5003
    /// `too_many_connections` line and is closed.
    public var maxConnections: Int = 10_000
    /// Bytes all unfinished request lines together may hold (`--max-input-memory`); past it the
    /// connection with the longest unfinished line gets `line_too_long` and is closed.
    public var maxInputMemory: Int = 256 << 20
    /// Seconds an unfinished line may go without a byte before its connection is closed
    /// (`--line-timeout`); time while the server is not reading the connection does not count.
    public var lineTimeoutSeconds: Double = 60
    /// New connections per second over all loops (`--max-connection-rate`), after a burst of as
    /// many at once; 0 means no limit. Past it, connecting clients wait in the listen backlog.
    public var maxConnectionRate: Int = 2_000
    /// How long a shutdown waits for slow readers before it closes their connections anyway.
    public var drainSeconds: Double = 10
    /// A listening AF_UNIX stream socket to serve instead of creating one at `socketPath` (the
    /// socket systemd hands in through `LISTEN_FDS`). The server closes it on shutdown and leaves
    /// its file to whoever made it.
    public var inheritedListener: Int32?

    public init(socketPath: String) { self.socketPath = socketPath }
}

/// Why the server could not start. The description is meant for the operator.
public struct ServerStartError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
