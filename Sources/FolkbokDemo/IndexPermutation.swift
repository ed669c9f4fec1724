import FolkbokModel

/// A keyed bijection on `0..<size`: a 4-round Feistel network over the smallest even-bit
/// power of two ≥ size, with cycle-walking back into range.
///
/// Guarantees: for a fixed (size, key), `apply` maps distinct inputs in `0..<size` to distinct
/// outputs in `0..<size`, and is the same on every run and platform.
struct IndexPermutation: Sendable {
    let size: UInt64
    private let halfBits: UInt64
    private let mask: UInt64
    private let keys: (UInt64, UInt64, UInt64, UInt64)

    init(size: UInt64, key: UInt64) {
        precondition(size > 0)
        self.size = size
        var bits: UInt64 = 2
        while bits < 64, (UInt64(1) << bits) < size { bits += 2 }
        halfBits = bits / 2
        mask = (UInt64(1) << halfBits) - 1
        var rng = SplitMix64(seed: key)
        keys = (rng.next(), rng.next(), rng.next(), rng.next())
    }

    func apply(_ index: UInt64) -> UInt64 {
        var x = index
        repeat { x = feistel(x) } while x >= size
        return x
    }

    private func feistel(_ x: UInt64) -> UInt64 {
        var left = x >> halfBits
        var right = x & mask
        round(&left, &right, keys.0)
        round(&left, &right, keys.1)
        round(&left, &right, keys.2)
        round(&left, &right, keys.3)
        return (left << halfBits) | right
    }

    private func round(_ left: inout UInt64, _ right: inout UInt64, _ key: UInt64) {
        let next = left ^ (SplitMix64.mix(right ^ key) & mask)
        left = right
        right = next
    }
}
