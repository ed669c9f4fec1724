import FolkbokSync

/// The event loops' metrics, summed at scrape time.
///
/// Guarantees: `addLoop` is called once per loop before it runs (a lock, not on any request
/// path); the sums read each loop's cells with relaxed loads and never stop a loop.
public final class ServiceMetrics: Sendable {
    private let loops = Locked<[LoopMetrics]>([])

    public init() {}

    /// A new loop's metrics, included in every sum from now on.
    public func addLoop() -> LoopMetrics {
        let metrics = LoopMetrics()
        loops.withLock { $0.append(metrics) }
        return metrics
    }

    var all: [LoopMetrics] { loops.withLock { $0 } }
}
