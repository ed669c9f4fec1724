/// The small-cell threshold of the public statistics: a `stats.open` row with 1 to `value` − 1
/// lookups is published as suppressed.
///
/// Guarantees: `value` ≥ `minimum` (3); docs/PROTOCOL.md makes a smaller `--stats-threshold` a
/// start-up error (exit 2), which the caller reports when `init` answers nil.
public struct SuppressionThreshold: Sendable, Hashable {
    public let value: UInt64

    public static let minimum: UInt64 = 3
    public static let `default` = SuppressionThreshold(5)!

    public init?(_ value: UInt64) {
        guard value >= Self.minimum else { return nil }
        self.value = value
    }

    /// Whether a row with `lookups` is suppressed.
    public func suppresses(_ lookups: UInt64) -> Bool { lookups >= 1 && lookups < value }
}
