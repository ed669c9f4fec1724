import Synchronization

/// A fixed block of 64-bit counters that one thread at a time writes and any thread reads: the
/// storage of the server's metrics (an event loop's request counts, a log writer's group
/// commits).
///
/// Guarantees: `add` and `set` are a relaxed load and a relaxed store (no read-modify-write
/// instruction, no lock, no allocation), so they cost about as much as a plain increment; a
/// reader on another thread sees each cell's value as of some recent write, never a torn one.
/// Writers must not overlap on a cell (the owner writes; the caller guarantees it): two
/// threads adding at once may lose a count, which is why each event loop owns its own block.
public final class SingleWriterCells: @unchecked Sendable {
    // @unchecked: the cells are atomics; the pointer and count never change after init.
    private let cells: UnsafeMutablePointer<Atomic<UInt64>>
    public let count: Int

    public init(count: Int) {
        precondition(count >= 0, "a negative number of cells")
        self.count = count
        cells = .allocate(capacity: max(1, count))
        for i in 0..<count { (cells + i).initialize(to: Atomic(0)) }
    }

    deinit {
        cells.deinitialize(count: count)
        cells.deallocate()
    }

    /// Adds `n` to cell `i` (the cell's only writer calls this).
    @inline(__always)
    public func add(_ i: Int, _ n: UInt64 = 1) {
        let cell = cells + i
        cell.pointee.store(cell.pointee.load(ordering: .relaxed) &+ n, ordering: .relaxed)
    }

    /// Sets cell `i` to `value` (the cell's only writer calls this).
    @inline(__always)
    public func set(_ i: Int, _ value: UInt64) { (cells + i).pointee.store(value, ordering: .relaxed) }

    /// Cell `i` as last written (any thread).
    @inline(__always)
    public func load(_ i: Int) -> UInt64 { (cells + i).pointee.load(ordering: .relaxed) }
}

/// Histograms of one bucket layout kept in `SingleWriterCells`: per histogram, one counter
/// per bucket (not cumulative: each observation adds to one cell) and the sum of the observed
/// values (a `Double`'s bits).
///
/// Guarantees: as `SingleWriterCells` (one writer per histogram, relaxed loads and stores, no
/// allocation); a reader derives the count from the buckets, so a histogram read while it is
/// written is still self-consistent (its last bucket equals its count).
public final class SingleWriterHistograms: Sendable {
    /// Upper bounds of the finite buckets, ascending; a last bucket (+Inf) takes the rest.
    public let bounds: [Double]
    public let histograms: Int
    private let cells: SingleWriterCells

    public init(bounds: [Double], histograms: Int) {
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "bucket bounds must ascend")
        self.bounds = bounds
        self.histograms = histograms
        cells = SingleWriterCells(count: histograms * (bounds.count + 2))
    }

    private var stride: Int { bounds.count + 2 }

    /// Records `n` observations of `value` in histogram `h` (its only writer calls this).
    @inline(__always)
    public func observe(_ h: Int, _ value: Double, count n: UInt64 = 1) {
        let base = h * stride
        var bucket = 0
        while bucket < bounds.count && value > bounds[bucket] { bucket += 1 }
        cells.add(base + bucket, n)
        let sumCell = base + bounds.count + 1
        cells.set(sumCell, (Double(bitPattern: cells.load(sumCell)) + value * Double(n)).bitPattern)
    }

    /// Histogram `h` as it is now (any thread).
    public func snapshot(_ h: Int) -> HistogramSnapshot {
        let base = h * stride
        return HistogramSnapshot(
            bounds: bounds, counts: (0...bounds.count).map { cells.load(base + $0) },
            sum: Double(bitPattern: cells.load(base + bounds.count + 1)))
    }
}

/// A histogram read at one moment: per-bucket counts (not cumulative; the last is +Inf) and the
/// sum of the observed values. Snapshots of one layout add up (`merged`), as the event loops'
/// histograms of one method do.
public struct HistogramSnapshot: Sendable, Equatable {
    public let bounds: [Double]
    public var counts: [UInt64]
    public var sum: Double

    public init(bounds: [Double], counts: [UInt64], sum: Double) {
        precondition(counts.count == bounds.count + 1, "one count per bucket and one for +Inf")
        self.bounds = bounds
        self.counts = counts
        self.sum = sum
    }

    /// An empty histogram of the layout.
    public init(bounds: [Double]) {
        self.init(bounds: bounds, counts: [UInt64](repeating: 0, count: bounds.count + 1), sum: 0)
    }

    public var count: UInt64 { counts.reduce(0, &+) }

    /// This histogram and `other` (of the same layout) together.
    public func merged(_ other: HistogramSnapshot) -> HistogramSnapshot {
        precondition(bounds == other.bounds, "histograms of different layouts")
        return HistogramSnapshot(
            bounds: bounds, counts: zip(counts, other.counts).map { $0 &+ $1 }, sum: sum + other.sum)
    }
}
