/// LSD radix sort on the high 32 bits of 64-bit values, for building posting lists.
///
/// Guarantees: afterwards the values ascend by their high half; values with equal high halves
/// keep their order (stable), so (term << 32 | row) pairs given in row order end sorted by
/// (term, row). Bits of the high half at or above `significantBits` must be zero.
/// - Complexity: O(n · ⌈significantBits / 11⌉), one scratch array of n values.
enum RadixSort {
    static func sortByHighHalf(_ values: inout [UInt64], significantBits: Int) {
        guard values.count > 1, significantBits > 0 else { return }
        let digitBits = 11, buckets = 1 << digitBits
        var scratch = [UInt64](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: buckets)
        var shift = 32
        while shift < 32 + significantBits {
            let s = UInt64(shift), mask = UInt64(buckets - 1)
            values.withUnsafeBufferPointer { from in
                scratch.withUnsafeMutableBufferPointer { to in
                    counts.withUnsafeMutableBufferPointer { c in
                        for i in 0..<buckets { c[i] = 0 }
                        for v in from { c[Int((v >> s) & mask)] += 1 }
                        var sum = 0
                        for i in 0..<buckets {
                            let n = c[i]
                            c[i] = sum
                            sum += n
                        }
                        for v in from {
                            let d = Int((v >> s) & mask)
                            to[c[d]] = v
                            c[d] += 1
                        }
                    }
                }
            }
            swap(&values, &scratch)
            shift += digitBits
        }
    }
}
