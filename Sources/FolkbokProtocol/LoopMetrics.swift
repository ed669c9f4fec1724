import FolkbokSync

/// One event loop's request and connection counts, owned by that loop's thread: requests by
/// method and outcome, request latency per method, connections accepted and refused.
///
/// Guarantees: only the owning loop thread calls the recording methods (`answered`,
/// `flushLatency`, `finished`, `accepted`, `refused`, `closed`); they allocate nothing and take no lock
/// and no read-modify-write instruction (single-writer cells: a relaxed load and store). Any
/// thread may read (`requests`, `latency`, …) at scrape time; `ServiceMetrics` sums the loops.
public final class LoopMetrics: @unchecked Sendable {
    // @unchecked: the cells are atomics; `pending` and `touched` are touched only by the
    // owning loop thread.

    /// Upper bounds of the latency buckets, in seconds (50 µs to 10 s).
    public static let latencyBounds: [Double] = [
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]
    static let methods = RequestMethod.names.count
    static let outcomes = ReplyOutcome.allCases.count

    private let counts = SingleWriterCells(count: LoopMetrics.methods * LoopMetrics.outcomes)
    private let latencies = SingleWriterHistograms(bounds: LoopMetrics.latencyBounds, histograms: LoopMetrics.methods)
    private let connections = SingleWriterCells(count: 3)
    /// Requests answered in the current turn whose latency is not recorded yet, per method;
    /// then (at index `methods`) a word whose bit `m` is set when `pending[m]` is not zero.
    /// Plain memory, not stored properties: a class's `var` costs an exclusivity check per access.
    private let pending: UnsafeMutablePointer<UInt64>

    public init() {
        pending = .allocate(capacity: Self.methods + 1)
        pending.initialize(repeating: 0, count: Self.methods + 1)
    }

    deinit { pending.deallocate() }

    private var touched: UInt64 {
        get { pending[Self.methods] }
        set { pending[Self.methods] = newValue }
    }

    /// Counts a request answered now, in the loop's turn; its latency is recorded by the
    /// turn's `flushLatency`. A blank line (`RequestMethod.blank`) is not counted.
    @inline(__always)
    public func answered(_ method: Int, _ outcome: ReplyOutcome) {
        guard method >= 0 else { return }
        counts.add(method * Self.outcomes + outcome.rawValue)
        pending[method] &+= 1
        touched |= 1 << UInt64(method)
    }

    /// Whether requests answered in this turn wait for `flushLatency`.
    public var hasPending: Bool { touched != 0 }

    /// Records `seconds` as the latency of every request answered since the last flush (they
    /// were read together and their answers leave together).
    public func flushLatency(_ seconds: Double) {
        while touched != 0 {
            let method = touched.trailingZeroBitCount
            touched &= touched - 1
            latencies.observe(method, seconds, count: pending[method])
            pending[method] = 0
        }
    }

    /// Counts a request answered after slow work, with its own latency.
    public func finished(_ method: Int, _ outcome: ReplyOutcome, seconds: Double) {
        guard method >= 0 else { return }
        counts.add(method * Self.outcomes + outcome.rawValue)
        latencies.observe(method, seconds)
    }

    public func accepted() { connections.add(0) }
    public func refused() { connections.add(1) }
    public func closed() { connections.add(2) }

    /// Requests of `method` answered with `outcome` so far.
    public func requests(_ method: Int, _ outcome: ReplyOutcome) -> UInt64 {
        counts.load(method * Self.outcomes + outcome.rawValue)
    }

    public func latency(_ method: Int) -> HistogramSnapshot { latencies.snapshot(method) }

    public var connectionsAccepted: UInt64 { connections.load(0) }
    public var connectionsRefused: UInt64 { connections.load(1) }
    /// Connections this loop holds now (accepted and not closed yet).
    public var connectionsOpen: UInt64 { connections.load(0) &- connections.load(2) }
}
