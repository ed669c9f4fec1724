import FolkbokModel

/// A UTC hour: the period every event is counted in (docs/PROTOCOL.md: periods are UTC).
///
/// Guarantees: `index` is whole hours since 1970-01-01T00Z, in `0..<2²⁴` (up to the year 3883;
/// a time outside is clamped to the nearest end, since no event is that old or that far off).
/// Ordering is time order.
public struct StatsHour: Hashable, Comparable, Sendable {
    /// Hours since 1970-01-01T00Z.
    public let index: UInt32

    public init(index: UInt32) { self.index = min(index, Self.last) }

    /// The last hour counters can hold.
    public static let last: UInt32 = 1 << 24 - 1

    /// The hour holding `unixMicros` (microseconds since the epoch, as the access log keeps time).
    public init(unixMicros: Int64) {
        index = min(UInt32(clamping: max(0, unixMicros) / 3_600_000_000), Self.last)
    }

    /// Hour `hour` (0–23) of `date`.
    public init(date: CivilDate, hour: Int) {
        precondition((0..<24).contains(hour), "an hour of the day is 0 to 23")
        index = min(UInt32(clamping: max(0, date.daysSinceEpoch * 24 + hour)), Self.last)
    }

    /// Days since the epoch of this hour's UTC date.
    public var day: Int { Int(index / 24) }

    /// The UTC date of this hour.
    public var date: CivilDate { CivilDate(daysSinceEpoch: day) }

    /// 0–23.
    public var hourOfDay: Int { Int(index % 24) }

    public static func < (a: StatsHour, b: StatsHour) -> Bool { a.index < b.index }
}
