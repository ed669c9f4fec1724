/// How many sessions ended in one cell and their summed length.
///
/// Guarantees: `micros` is the exact sum of the sessions' lengths in whole microseconds, so
/// sums do not depend on the order sessions were counted or merged in.
public struct SessionTotals: Hashable, Sendable {
    public var count: UInt64
    public var micros: UInt64

    public init(count: UInt64 = 0, micros: UInt64 = 0) {
        self.count = count
        self.micros = micros
    }

    /// The summed length in seconds.
    public var seconds: Double { Double(micros) / 1_000_000 }

    mutating func add(_ other: SessionTotals) {
        count &+= other.count
        micros &+= other.micros
    }
}
