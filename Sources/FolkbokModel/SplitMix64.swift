/// SplitMix64: a tiny, fast, deterministic pseudo-random generator.
///
/// Guarantees: the same seed always yields the same sequence on every platform; it is not
/// cryptographic and must only be used for generating test data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// One SplitMix64 finaliser step applied to `x` (a good 64-bit mixing function).
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<n` (`n > 0`), by multiply-high (bias below 2^-40 for the sizes used here).
    public mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// True with probability `perMillion / 1_000_000`.
    public mutating func chance(perMillion: Int) -> Bool { below(1_000_000) < perMillion }
}
