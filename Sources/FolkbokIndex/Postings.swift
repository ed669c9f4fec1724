/// Row ordinals by term for one search criterion, log-structured. New entries are appended to a
/// short unsorted log; a full log is sorted into a packed run; packed runs merge pairwise while
/// the newest is at least half the one before, until one reaches `segmentSize` and is sealed as a
/// compact segment. Segments are not merged again until more than `segmentLimit` pile up; then
/// they fold into the base in one pass. So a bulk load copies each entry O(log segmentSize)
/// times and never re-copies the base; `rebuild` (after a load, on trim, or when stale entries
/// pile up) makes it one exact base again.
///
/// Guarantees: every `add(term, row:)` since the last `rebuild`, and every (term, row) the last
/// rebuild was given, is yielded by `forEachRow` for a selection containing the term. Nothing is
/// removed one by one: an entry may be stale (its row moved, changed or went away) and a row may
/// be listed twice, so callers check every row they are given. `needsRebuild` turns true once
/// the stale entries outnumber half of all entries (and 8,192), so rebuilds cost O(1) amortized
/// per change.
/// - Complexity: `add` O(log segmentSize) amortized sequential copying (an append, a radix sort
///   per `logLimit` entries, pairwise merges), plus an O(n) fold per `segmentLimit` segments. A
///   lookup costs O(log n) per run and term, plus a scan of the log (at most `logLimit`).
struct Postings: Sendable {
    /// Sizes of the stages (tests shrink them to reach every path with few entries).
    struct Tuning: Sendable {
        var logLimit = 4_096
        var segmentSize = 65_536
        var segmentLimit = 16
    }

    let tuning: Tuning
    private(set) var base = PostingRun()
    /// Sealed compact runs, each of at least `segmentSize` entries.
    private var segments: [PostingRun] = []
    /// Sorted packed runs, largest first, each smaller than `segmentSize`.
    private var packed: [PackedRun] = []
    /// Unsorted (term << 32 | row) entries not yet in a run.
    private var log: [UInt64] = []
    private var logMaxTerm: UInt32 = 0
    /// Entries known to be stale (counted by the caller as rows change or go).
    private(set) var stale = 0

    init(tuning: Tuning = Tuning()) { self.tuning = tuning }

    var entryCount: Int {
        packed.reduce(segments.reduce(base.entryCount + log.count) { $0 + $1.entryCount }) { $0 + $1.count }
    }

    var needsRebuild: Bool { stale > max(8_192, entryCount / 2) }

    var footprintBytes: Int {
        packed.reduce(segments.reduce(base.footprintBytes + log.capacity * 8) { $0 + $1.footprintBytes }) {
            $0 + $1.footprintBytes
        }
    }

    mutating func add(_ term: UInt32, row: UInt32) {
        precondition(row != UInt32.max, "row ordinal out of range")
        log.append(UInt64(term) << 32 | UInt64(row))
        logMaxTerm = max(logMaxTerm, term)
        if log.count >= tuning.logLimit { flushLog() }
    }

    mutating func addStale(_ count: Int = 1) { stale += count }

    /// How many entries the selected terms have (stale ones included); the log is not counted,
    /// and counting stops once it passes `limit` (this is for choosing a criterion).
    func count(_ selection: TermSelection, upTo limit: Int = .max) -> Int {
        var count = 0
        for run in [base] + segments where count < limit {
            run.forEachTerm(
                in: selection,
                while: {
                    count += run.count(ofTermAt: $0)
                    return count < limit
                })
        }
        for run in packed where count < limit { run.forEachRow(selection) { _ in count += 1 } }
        return count
    }

    /// Calls `body` with every row listed under a selected term.
    @inline(__always)
    func forEachRow(_ selection: TermSelection, _ body: (UInt32) -> Void) {
        base.forEachTerm(in: selection) { base.forEachRow(ofTermAt: $0, body) }
        for run in segments { run.forEachTerm(in: selection) { run.forEachRow(ofTermAt: $0, body) } }
        for run in packed { run.forEachRow(selection, body) }
        for p in log where selection.contains(UInt32(truncatingIfNeeded: p >> 32)) {
            body(UInt32(truncatingIfNeeded: p))
        }
    }

    /// Calls `body` with every (term, row) entry (for invariant checks).
    func forEachEntry(_ body: (UInt32, UInt32) -> Void) {
        for run in [base] + segments {
            for i in run.terms.indices { run.forEachRow(ofTermAt: i) { body(run.terms[i], $0) } }
        }
        for p in packed.flatMap(\.values) + log {
            body(UInt32(truncatingIfNeeded: p >> 32), UInt32(truncatingIfNeeded: p))
        }
    }

    private mutating func flushLog() {
        RadixSort.sortByHighHalf(&log, significantBits: 32 - logMaxTerm.leadingZeroBitCount)
        var run = PackedRun(sorted: log)
        log.removeAll(keepingCapacity: true)
        logMaxTerm = 0
        while let last = packed.last, last.count <= 2 * run.count {
            run = PackedRun(merging: packed.removeLast(), run)
        }
        guard run.count >= tuning.segmentSize else {
            packed.append(run)
            return
        }
        segments.append(PostingRun(sorted: run.values))
        if segments.count > tuning.segmentLimit {
            base = PostingRun(merging: [base] + segments)
            segments = []
        }
    }
}

extension Postings {
    /// Replaces everything with exactly the rows `0..<count` under `term(row)` (0: no entry),
    /// each row once, ascending, in the base; clears the rest and the stale count.
    /// - Complexity: O(count) — an LSD radix sort of (term, row) on the term bits.
    mutating func rebuild(count: Int, term: (Int) -> UInt32) {
        var values: [UInt64] = []
        values.reserveCapacity(count)
        var maxTerm: UInt32 = 0
        for row in 0..<count {
            let t = term(row)
            guard t != 0 else { continue }
            values.append(UInt64(t) << 32 | UInt64(row))
            maxTerm = max(maxTerm, t)
        }
        RadixSort.sortByHighHalf(&values, significantBits: 32 - maxTerm.leadingZeroBitCount)
        base = PostingRun(sorted: values)
        segments = []
        packed = []
        log = []
        logMaxTerm = 0
        stale = 0
    }
}
