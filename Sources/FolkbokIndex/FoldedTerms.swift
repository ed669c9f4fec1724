import FolkbokModel

/// The distinct strings one name field (surname, street) has held, as string-pool ids ordered by
/// their `SwedishFold`, so a whole name or a prefix finds its ids with two binary searches.
///
/// Each id's fold is computed once and kept in an arena (about a dozen bytes per distinct
/// street or surname), so probes compare bytes and never fold. Ids added since the last absorb
/// wait in a short unsorted list that lookups scan.
///
/// Guarantees: `ids(matching:)` returns every added id whose string matches the pattern, each
/// once. Ids are never dropped until `rebuild` (a string no row uses any more may be returned;
/// callers check rows).
/// - Complexity: `add` O(1) for a known id; a new id costs one fold, and every `recentLimit`
///   new ids an absorb of O(n) moves plus O(recentLimit · log n) byte comparisons.
///   `ids(matching:)` is O(log n + recentLimit) comparisons plus the result.
struct FoldedTerms: Sendable {
    static let recentLimit = 1_024
    /// Ids ascending by (fold, id), and where each one's fold lies in `arena`.
    private var sorted: [UInt32] = []
    private var sortedSpans: [Span] = []
    /// Added since the last absorb, unsorted.
    private var recent: [UInt32] = []
    private var recentSpans: [Span] = []
    /// The folds, back to back, in the order ids were added.
    private var arena: [UInt8] = []
    /// Ids in `sorted` or `recent`.
    private var known = Bitmap()

    /// Where a fold lies in the arena: offset << 24 | length.
    private struct Span: Sendable {
        let packed: UInt64
        init(offset: Int, count: Int) {
            precondition(count < 1 << 24, "a name longer than 16 MB")
            packed = UInt64(offset) << 24 | UInt64(count)
        }
        var offset: Int { Int(packed >> 24) }
        var count: Int { Int(packed & 0xFF_FFFF) }
    }

    init() {}

    var footprintBytes: Int {
        (sorted.capacity + recent.capacity) * 4 + (sortedSpans.capacity + recentSpans.capacity) * 8 + arena.capacity
            + known.footprintBytes
    }

    func contains(_ id: UInt32) -> Bool { known.contains(id) }

    mutating func add(_ id: UInt32, strings: StringPool) {
        guard id != 0, !known.contains(id) else { return }
        known.insert(id)
        recent.append(id)
        recentSpans.append(appendFold(of: id, strings))
        if recent.count >= Self.recentLimit { absorbRecent() }
    }

    /// Replaces the contents with exactly `ids` (distinct, nonzero).
    mutating func rebuild(ids: [UInt32], strings: StringPool) {
        self = FoldedTerms()
        arena.reserveCapacity(ids.count * 12)
        let spans = ids.map { appendFold(of: $0, strings) }
        let order = arena.withUnsafeBufferPointer { a in
            ids.indices.sorted { Self.less(a, spans[$0], ids[$0], spans[$1], ids[$1]) }
        }
        sorted = order.map { ids[$0] }
        sortedSpans = order.map { spans[$0] }
        arena = arena.withUnsafeBufferPointer { Array($0) }
        known = Bitmap(ids)
    }

    /// Every id whose folded string equals the pattern (or starts with it, for a prefix).
    func ids(matching pattern: NamePattern) -> [UInt32] {
        let target = Array(pattern.folded.utf8)
        return arena.withUnsafeBufferPointer { a in
            target.withUnsafeBufferPointer { t in
                func matches(_ s: Span) -> Bool {
                    let f = UnsafeBufferPointer(rebasing: a[s.offset..<s.offset + s.count])
                    return pattern.isPrefix ? f.starts(with: t) : f.elementsEqual(t)
                }
                let lo = partition(0..<sorted.count) { Self.compare(a, sortedSpans[$0], t) < 0 }
                let hi = partition(lo..<sorted.count) { matches(sortedSpans[$0]) }
                var found = Array(sorted[lo..<hi])
                for (i, s) in recentSpans.enumerated() where matches(s) { found.append(recent[i]) }
                return found
            }
        }
    }

    /// Whether the sorted part ascends by (fold, id) (for invariant checks).
    func isSorted() -> Bool {
        arena.withUnsafeBufferPointer { a in
            sorted.indices.dropFirst().allSatisfy {
                Self.less(a, sortedSpans[$0 - 1], sorted[$0 - 1], sortedSpans[$0], sorted[$0])
            }
        }
    }

    private mutating func appendFold(of id: UInt32, _ strings: StringPool) -> Span {
        let offset = arena.count
        strings.withBytes(id) { SwedishFold.fold(utf8: $0, into: &arena) }
        return Span(offset: offset, count: arena.count - offset)
    }

    /// Inserts the recent ids into `sorted`: sort them, find each one's place by binary search
    /// from the previous one's, then copy the runs between those places in one pass.
    private mutating func absorbRecent() {
        let total = sorted.count + recent.count
        let places: [(at: Int, recent: Int)] = arena.withUnsafeBufferPointer { a in
            let pending = recent.indices.sorted {
                Self.less(a, recentSpans[$0], recent[$0], recentSpans[$1], recent[$1])
            }
            var from = 0
            return pending.map { p in
                from = partition(from..<sorted.count) {
                    Self.less(a, sortedSpans[$0], sorted[$0], recentSpans[p], recent[p])
                }
                return (from, p)
            }
        }
        sorted = Self.interleave(sorted, recent, places, total: total)
        sortedSpans = Self.interleave(sortedSpans, recentSpans, places, total: total)
        recent.removeAll(keepingCapacity: true)
        recentSpans.removeAll(keepingCapacity: true)
    }

    /// `old` with `new[p.recent]` inserted before `old[p.at]` for each place (places ascending).
    private static func interleave<T>(_ old: [T], _ new: [T], _ places: [(at: Int, recent: Int)], total: Int) -> [T] {
        // (Empty: the plain empty array; see PostingRun.)
        total == 0
            ? []
            : [T](unsafeUninitializedCapacity: total) { out, initialized in
                old.withUnsafeBufferPointer { o in
                    var n = 0, from = 0
                    func copy(upTo end: Int) {
                        guard end > from else { return }
                        (out.baseAddress! + n).initialize(from: o.baseAddress! + from, count: end - from)
                        n += end - from
                        from = end
                    }
                    for p in places {
                        copy(upTo: p.at)
                        (out.baseAddress! + n).initialize(to: new[p.recent])
                        n += 1
                    }
                    copy(upTo: o.count)
                }
                initialized = total
            }
    }

    /// The first index in `range` where `before` turns false (`before` must be true, then false).
    private func partition(_ range: Range<Int>, _ before: (Int) -> Bool) -> Int {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if before(mid) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Byte order of the fold at `s` against `t`: negative, zero or positive.
    private static func compare(_ a: UnsafeBufferPointer<UInt8>, _ s: Span, _ t: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(s.count, t.count)
        for k in 0..<n where a[s.offset + k] != t[k] { return Int(a[s.offset + k]) - Int(t[k]) }
        return s.count - t.count
    }

    private static func less(_ a: UnsafeBufferPointer<UInt8>, _ x: Span, _ xID: UInt32, _ y: Span, _ yID: UInt32)
        -> Bool
    {
        let c = compare(a, x, UnsafeBufferPointer(rebasing: a[y.offset..<y.offset + y.count]))
        return c != 0 ? c < 0 : xID < yID
    }
}
