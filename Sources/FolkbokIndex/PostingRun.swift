/// One sorted run of postings: distinct terms ascending, each with its run of row ordinals
/// (4 bytes an entry, arrays sized exactly).
///
/// Guarantees: built from (term << 32 | row) values sorted by term, or by merging two runs, it
/// lists exactly the (term, row) pairs it was given (a merge: the first run's rows of a term,
/// then the second's).
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
        for p in packed where p >> 32 != last { distinct += 1; last = p >> 32 }
        var newTerms: [UInt32] = [], newOffsets: [UInt32] = []
        newTerms.reserveCapacity(distinct)
        newOffsets.reserveCapacity(distinct + 1)
        last = .max
        entries = [UInt32](unsafeUninitializedCapacity: packed.count) { buffer, initialized in
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

    /// The union of two runs: for each term, `a`'s rows then `b`'s.
    init(merging a: PostingRun, _ b: PostingRun) {
        var distinct = 0
        a.terms.withUnsafeBufferPointer { at in
            b.terms.withUnsafeBufferPointer { bt in
                var i = 0, j = 0
                while i < at.count && j < bt.count {
                    let ta = at[i], tb = bt[j]
                    if ta <= tb { i += 1 }
                    if tb <= ta { j += 1 }
                    distinct += 1
                }
                distinct += (at.count - i) + (bt.count - j)
            }
        }
        let total = a.entries.count + b.entries.count
        var newOffsets = [UInt32](repeating: 0, count: distinct + 1)
        var newEntries = [UInt32](repeating: 0, count: total)
        terms = [UInt32](unsafeUninitializedCapacity: distinct) { outTerms, initialized in
            newOffsets.withUnsafeMutableBufferPointer { outOffsets in
                newEntries.withUnsafeMutableBufferPointer { out in
                    var merge = RunMerge(terms: outTerms, offsets: outOffsets, entries: out)
                    merge.run(a, b)
                }
            }
            initialized = distinct
        }
        offsets = newOffsets
        entries = newEntries
    }

    /// Calls `body(termIndex)` for every term of the run in `selection`, ascending.
    @inline(__always)
    func forEachTerm(in selection: TermSelection, _ body: (Int) -> Void) {
        switch selection {
        case .ids(let ids):
            var from = 0
            for id in ids.ids {
                from = lowerBound(id, from: from)
                guard from < terms.count else { return }
                if terms[from] == id { body(from) }
            }
        case .range(let range, let postal):
            var i = lowerBound(range.lowerBound, from: 0)
            while i < terms.count && terms[i] <= range.upperBound {
                if postal == nil || terms[i] & PlaceTerm.postalMask == postal! { body(i) }
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

    /// The first index at or after `start` whose term is not below `term` (galloping, so a
    /// sorted sequence of lookups costs O(log gap) each).
    private func lowerBound(_ term: UInt32, from start: Int) -> Int {
        var lo = start, step = 1, hi = start
        while hi < terms.count && terms[hi] < term {
            lo = hi + 1
            hi += step
            step *= 2
        }
        hi = min(hi, terms.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if terms[mid] < term { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// The merging loop of `PostingRun(merging:_:)`, on raw buffers sized beforehand.
private struct RunMerge {
    let terms: UnsafeMutableBufferPointer<UInt32>
    let offsets: UnsafeMutableBufferPointer<UInt32>
    let entries: UnsafeMutableBufferPointer<UInt32>

    mutating func run(_ a: PostingRun, _ b: PostingRun) {
        a.withBuffers { at, ao, ae in
            b.withBuffers { bt, bo, be in
                var n = 0, k = 0, i = 0, j = 0
                while i < at.count || j < bt.count {
                    let ta = i < at.count ? at[i] : .max, tb = j < bt.count ? bt[j] : .max
                    terms[k] = min(ta, tb)
                    offsets[k] = UInt32(n)
                    k += 1
                    if ta <= tb { copy(ae, Int(ao[i]), Int(ao[i + 1]), &n); i += 1 }
                    if tb <= ta { copy(be, Int(bo[j]), Int(bo[j + 1]), &n); j += 1 }
                }
                offsets[k] = UInt32(n)
            }
        }
    }

    @inline(__always)
    private func copy(_ from: UnsafeBufferPointer<UInt32>, _ lo: Int, _ hi: Int, _ n: inout Int) {
        if hi - lo <= 8 {
            for k in lo..<hi { entries[n + k - lo] = from[k] }
        } else {
            (entries.baseAddress! + n).update(from: from.baseAddress! + lo, count: hi - lo)
        }
        n += hi - lo
    }
}

extension PostingRun {
    @inline(__always)
    fileprivate func withBuffers<R>(_ body: (UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<UInt32>) -> R) -> R {
        terms.withUnsafeBufferPointer { t in offsets.withUnsafeBufferPointer { o in entries.withUnsafeBufferPointer { e in body(t, o, e) } } }
    }
}

/// The terms a search criterion wants from one field's postings.
enum TermSelection {
    /// Exactly these string ids (name fields).
    case ids(IDSet)
    /// Every term in the range (dates; places), and for places, if `postal` is set, only those
    /// whose postal part equals it.
    case range(ClosedRange<UInt32>, postal: UInt32?)

    @inline(__always)
    func contains(_ term: UInt32) -> Bool {
        switch self {
        case .ids(let ids): ids.contains(term)
        case .range(let range, let postal): range.contains(term) && (postal == nil || term & PlaceTerm.postalMask == postal!)
        }
    }
}
