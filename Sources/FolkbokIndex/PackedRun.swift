/// A sorted run of postings as packed (term << 32 | row) values: the form of the young, small
/// runs of `Postings`, which merge with one another cheaply (no per-term bookkeeping) before
/// they are folded into the compact base.
///
/// Guarantees: `values` ascend; a merge holds exactly the values of both runs.
struct PackedRun: Sendable {
    private(set) var values: [UInt64]

    /// From values that already ascend.
    init(sorted values: [UInt64]) { self.values = values }

    init(merging a: PackedRun, _ b: PackedRun) {
        let total = a.values.count + b.values.count
        // (Empty: the plain empty array; see PostingRun.)
        values =
            total == 0
            ? []
            : [UInt64](unsafeUninitializedCapacity: total) { out, initialized in
                a.values.withUnsafeBufferPointer { x in
                    b.values.withUnsafeBufferPointer { y in
                        var i = 0, j = 0, n = 0
                        while i < x.count && j < y.count {
                            let u = x[i], v = y[j]
                            let takeX = u <= v
                            out[n] = takeX ? u : v
                            i += takeX ? 1 : 0
                            j += takeX ? 0 : 1
                            n += 1
                        }
                        while i < x.count {
                            out[n] = x[i]
                            i += 1
                            n += 1
                        }
                        while j < y.count {
                            out[n] = y[j]
                            j += 1
                            n += 1
                        }
                    }
                }
                initialized = total
            }
    }

    var count: Int { values.count }

    var footprintBytes: Int { values.capacity * 8 }

    /// Calls `body` with every row under a selected term.
    @inline(__always)
    func forEachRow(_ selection: TermSelection, _ body: (UInt32) -> Void) {
        values.withUnsafeBufferPointer { v in
            switch selection {
            case .ids(let ids):
                var from = 0
                for id in ids.ids {
                    from = v.gallopingLowerBound(of: UInt64(id) << 32, from: from)
                    while from < v.count && v[from] >> 32 == UInt64(id) {
                        body(UInt32(truncatingIfNeeded: v[from]))
                        from += 1
                    }
                }
            case .range(let range, _, _):
                var i = v.gallopingLowerBound(of: UInt64(range.lowerBound) << 32, from: 0)
                while i < v.count && v[i] >> 32 <= UInt64(range.upperBound) {
                    if selection.contains(UInt32(truncatingIfNeeded: v[i] >> 32)) {
                        body(UInt32(truncatingIfNeeded: v[i]))
                    }
                    i += 1
                }
            }
        }
    }
}
