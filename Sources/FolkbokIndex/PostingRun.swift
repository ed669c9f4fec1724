/// One sorted run of postings: distinct terms ascending, each with its run of row ordinals
/// (4 bytes an entry, arrays sized exactly).
///
/// Guarantees: built from (term << 32 | row) values sorted by term, or by merging runs, it lists
/// exactly the (term, row) pairs it was given.
struct PostingRun: Sendable {
    private(set) var terms: [UInt32] = []
    /// The rows of `terms[i]` are `entries[offsets[i]..<offsets[i + 1]]`.
    private var offsets: [UInt32] = [0]
    private var entries: [UInt32] = []

    init() {}

    var entryCount: Int { entries.count }

    var footprintBytes: Int { (terms.capacity + offsets.capacity + entries.capacity) * 4 }

    /// From (term << 32 | row) values ascending by term.
    init(sorted packed: [UInt64]) {
        var distinct = 0, last: UInt64 = .max
        for p in packed where p >> 32 != last {
            distinct += 1
            last = p >> 32
        }
        var newTerms: [UInt32] = [], newOffsets: [UInt32] = []
        newTerms.reserveCapacity(distinct)
        newOffsets.reserveCapacity(distinct + 1)
        last = .max
        // An empty run takes the plain empty array: `unsafeUninitializedCapacity: 0` writes the
        // count into the shared empty-array storage, a race (harmless, but one TSan reports)
        // when several shards load at once.
        entries =
            packed.isEmpty
            ? []
            : [UInt32](unsafeUninitializedCapacity: packed.count) { buffer, initialized in
                for (i, p) in packed.enumerated() {
                    if p >> 32 != last {
                        last = p >> 32
                        newTerms.append(UInt32(truncatingIfNeeded: last))
                        newOffsets.append(UInt32(i))
                    }
                    buffer[i] = UInt32(truncatingIfNeeded: p)
                }
                initialized = packed.count
            }
        newOffsets.append(UInt32(packed.count))
        terms = newTerms
        offsets = newOffsets
    }

    /// The union of `runs`: for each term, the rows of the first run, then the second's, ...
    init(merging runs: [PostingRun]) {
        var distinct = 0, total = 0
        Self.forEachMergedTerm(runs) { _, _ in distinct += 1 }
        for run in runs { total += run.entries.count }
        var newTerms: [UInt32] = [], newOffsets: [UInt32] = []
        newTerms.reserveCapacity(distinct)
        newOffsets.reserveCapacity(distinct + 1)
        var merged: [UInt32] = []
        merged.reserveCapacity(total)
        Self.forEachMergedTerm(runs) { term, positions in
            newTerms.append(term)
            newOffsets.append(UInt32(merged.count))
            for (r, i) in positions.enumerated() where i >= 0 {
                let run = runs[r]
                merged.append(contentsOf: run.entries[Int(run.offsets[i])..<Int(run.offsets[i + 1])])
            }
        }
        newOffsets.append(UInt32(merged.count))
        terms = newTerms
        offsets = newOffsets
        entries = merged
    }

    /// Calls `body(term, positions)` for each term of any run, ascending, where `positions[r]`
    /// is the term's index in `runs[r]` or -1.
    private static func forEachMergedTerm(_ runs: [PostingRun], _ body: (UInt32, [Int]) -> Void) {
        var cursors = [Int](repeating: 0, count: runs.count)
        var positions = [Int](repeating: -1, count: runs.count)
        while true {
            var term = UInt32.max, any = false
            for (r, run) in runs.enumerated() where cursors[r] < run.terms.count {
                term = any ? min(term, run.terms[cursors[r]]) : run.terms[cursors[r]]
                any = true
            }
            guard any else { return }
            for (r, run) in runs.enumerated() {
                if cursors[r] < run.terms.count && run.terms[cursors[r]] == term {
                    positions[r] = cursors[r]
                    cursors[r] += 1
                } else {
                    positions[r] = -1
                }
            }
            body(term, positions)
        }
    }

    /// Calls `body(termIndex)` for every term of the run in `selection`, ascending.
    @inline(__always)
    func forEachTerm(in selection: TermSelection, _ body: (Int) -> Void) {
        forEachTerm(
            in: selection,
            while: {
                body($0)
                return true
            })
    }

    /// Calls `body(termIndex)` for the terms of the run in `selection`, ascending, until it
    /// returns false.
    @inline(__always)
    func forEachTerm(in selection: TermSelection, while body: (Int) -> Bool) {
        switch selection {
        case .ids(let ids):
            var from = 0
            for id in ids.ids {
                from = terms.gallopingLowerBound(of: id, from: from)
                guard from < terms.count else { return }
                if terms[from] == id && !body(from) { return }
            }
        case .range(let range, _, _):
            var i = terms.gallopingLowerBound(of: range.lowerBound, from: 0)
            while i < terms.count && terms[i] <= range.upperBound {
                if selection.contains(terms[i]) && !body(i) { return }
                i += 1
            }
        }
    }

    @inline(__always)
    func count(ofTermAt i: Int) -> Int { Int(offsets[i + 1] - offsets[i]) }

    @inline(__always)
    func forEachRow(ofTermAt i: Int, _ body: (UInt32) -> Void) {
        let lo = Int(offsets[i]), hi = Int(offsets[i + 1])
        entries.withUnsafeBufferPointer { e in for k in lo..<hi { body(e[k]) } }
    }
}

/// The terms a search criterion wants from one field's postings.
enum TermSelection {
    /// Exactly these string ids (name fields).
    case ids(IDSet)
    /// Every term in the range (dates, places) whose bits under `mask` equal `value`
    /// (a mask of 0 takes the whole range).
    case range(ClosedRange<UInt32>, mask: UInt32 = 0, value: UInt32 = 0)

    @inline(__always)
    func contains(_ term: UInt32) -> Bool {
        switch self {
        case .ids(let ids): ids.contains(term)
        case .range(let range, let mask, let value): range.contains(term) && term & mask == value
        }
    }
}
