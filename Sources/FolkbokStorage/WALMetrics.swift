import FolkbokSync
import Glibc

/// What a write-ahead log's writer thread has done, for the server's metrics: how many
/// records each group commit wrote and how long its write and `fdatasync` took.
///
/// Guarantees: only whoever runs the log's group commit records, one at a time under the
/// log's desk lock (single-writer cells); any thread may read. Failed writes are not recorded.
public final class WALMetrics: Sendable {
    /// Upper bounds of the group-size buckets (records per write and sync).
    public static let groupBounds: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 16384]
    /// Upper bounds of the sync-latency buckets, in seconds.
    public static let syncBounds: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]

    private let groups = SingleWriterHistograms(bounds: WALMetrics.groupBounds, histograms: 1)
    private let syncs = SingleWriterHistograms(bounds: WALMetrics.syncBounds, histograms: 1)

    public init() {}

    /// Records one group commit of `records` records that took `seconds` to write and sync.
    func recordCommit(records: Int, seconds: Double) {
        groups.observe(0, Double(records))
        syncs.observe(0, seconds)
    }

    /// Records per group commit.
    public var groupSizes: HistogramSnapshot { groups.snapshot(0) }

    /// Seconds per group commit's write and sync.
    public var syncSeconds: HistogramSnapshot { syncs.snapshot(0) }

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
