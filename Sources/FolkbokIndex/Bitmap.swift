/// A set of small non-negative integers, one bit each, growing to the largest member.
///
/// Guarantees: `contains` is true exactly for the members inserted; any value may be queried.
/// - Complexity: O(1) for `insert` (amortized) and `contains`; max member / 8 bytes.
struct Bitmap: Sendable {
    private var words: [UInt64] = []

    init() {}

    /// A bitmap holding `members`, sized for them at once.
    init(_ members: some Collection<UInt32>) {
        words = Array(repeating: 0, count: Int(members.max() ?? 0) / 64 + 1)
        for m in members { words[Int(m >> 6)] |= 1 << UInt64(m & 63) }
    }

    @inline(__always)
    func contains(_ value: UInt32) -> Bool {
        let w = Int(value >> 6)
        return w < words.count && words[w] & (1 << UInt64(value & 63)) != 0
    }

    mutating func insert(_ value: UInt32) {
        let w = Int(value >> 6)
        if w >= words.count {
            words.append(contentsOf: repeatElement(0, count: max(w + 1 - words.count, words.count / 2)))
        }
        words[w] |= 1 << UInt64(value & 63)
    }

    var footprintBytes: Int { words.capacity * 8 }
}
