/// Row ordinals by term for one search criterion, log-structured: new entries are appended to
/// a short unsorted log; a full log is sorted into a run, and runs merge while the newest is at
/// least half the size of the one before, so there are O(log n) runs, largest first.
///
/// Guarantees: every `add(term, row:)` since the last `rebuild`, and every (term, row) the last
/// rebuild was given, is yielded by `forEachRow` for a selection containing the term. Nothing is
/// removed one by one: an entry may be stale (its row moved, changed or went away) and a row may
/// be listed twice, so callers check every row they are given. `rebuild` makes it exact again
/// (one run); `needsRebuild` turns true once the stale entries outnumber half of all entries
/// (and 8,192), so rebuilds cost O(1) amortized per change.
/// - Complexity: `add` O(1) amortized: a sequential append, a sort per `logLimit` entries and
///   O(log n) merge copies per entry over its life. A lookup costs O(runs · log terms) plus a
///   scan of the log (at most `logLimit` entries).
struct Postings: Sendable {
    static let logLimit = 4_096
    private(set) var runs: [PostingRun] = []
    /// Unsorted (term << 32 | row) entries not yet in a run.
    private var log: [UInt64] = []
    private var logMaxTerm: UInt32 = 0
    /// Entries known to be stale (counted by the caller as rows change or go).
    private(set) var stale = 0

    init() {}

    var entryCount: Int { runs.reduce(log.count) { $0 + $1.entryCount } }

    var needsRebuild: Bool { stale > max(8_192, entryCount / 2) }

    var footprintBytes: Int { runs.reduce(log.capacity * 8) { $0 + $1.footprintBytes } }

    mutating func add(_ term: UInt32, row: UInt32) {
        log.append(UInt64(term) << 32 | UInt64(row))
        logMaxTerm = max(logMaxTerm, term)
        if log.count >= Self.logLimit { flushLog() }
    }

    mutating func addStale(_ count: Int = 1) { stale += count }

    /// How many entries the selected terms have (stale ones included), counting no further
    /// than `limit`.
    func count(_ selection: TermSelection, upTo limit: Int = .max) -> Int {
        var count = 0
        for run in runs {
            run.forEachTerm(in: selection) { count += run.count(ofTermAt: $0) }
            if count >= limit { return count }
        }
        for p in log where selection.contains(UInt32(truncatingIfNeeded: p >> 32)) { count += 1 }
        return count
    }

    /// Calls `body` with every row listed under a selected term.
    @inline(__always)
    func forEachRow(_ selection: TermSelection, _ body: (UInt32) -> Void) {
        for run in runs {
            run.forEachTerm(in: selection) { run.forEachRow(ofTermAt: $0, body) }
        }
        for p in log where selection.contains(UInt32(truncatingIfNeeded: p >> 32)) { body(UInt32(truncatingIfNeeded: p)) }
    }

    /// Calls `body` with every (term, row) entry (for invariant checks).
    func forEachEntry(_ body: (UInt32, UInt32) -> Void) {
        for run in runs {
            for i in run.terms.indices { run.forEachRow(ofTermAt: i) { body(run.terms[i], $0) } }
        }
        for p in log { body(UInt32(truncatingIfNeeded: p >> 32), UInt32(truncatingIfNeeded: p)) }
    }

    private mutating func flushLog() {
        RadixSort.sortByHighHalf(&log, significantBits: 32 - logMaxTerm.leadingZeroBitCount)
        var run = PostingRun(sorted: log)
        log.removeAll(keepingCapacity: true)
        logMaxTerm = 0
        while let last = runs.last, last.entryCount <= 2 * run.entryCount {
            run = PostingRun(merging: runs.removeLast(), run)
        }
        runs.append(run)
    }
}

extension Postings {
    /// Replaces everything with exactly the rows `0..<count` under `term(row)` (0: no entry),
    /// each row once, ascending, in one run; clears the log and the stale count.
    /// - Complexity: O(count) — an LSD radix sort of (term, row) on the term bits.
    mutating func rebuild(count: Int, term: (Int) -> UInt32) {
        var packed: [UInt64] = []
        packed.reserveCapacity(count)
        var maxTerm: UInt32 = 0
        for row in 0..<count {
            let t = term(row)
            guard t != 0 else { continue }
            packed.append(UInt64(t) << 32 | UInt64(row))
            maxTerm = max(maxTerm, t)
        }
        RadixSort.sortByHighHalf(&packed, significantBits: 32 - maxTerm.leadingZeroBitCount)
        runs = packed.isEmpty ? [] : [PostingRun(sorted: packed)]
        log = []
        logMaxTerm = 0
        stale = 0
    }
}
