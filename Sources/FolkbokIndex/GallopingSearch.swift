extension RandomAccessCollection where Index == Int, Element: Comparable {
    /// The first index at or after `start` whose element is not below `value`, in a sorted
    /// collection: galloping (steps 1, 2, 4 … from `start`, then a binary search inside the last
    /// step), so a sorted sequence of lookups costs O(log gap) each. The postings' runs
    /// (`PostingRun`, `PackedRun`) both search this way.
    @inline(__always)
    func gallopingLowerBound(of value: Element, from start: Int) -> Int {
        var lo = start, step = 1, hi = start
        while hi < endIndex && self[hi] < value {
            lo = hi + 1
            hi += step
            step *= 2
        }
        hi = Swift.min(hi, endIndex)
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
