import FolkbokModel

/// Periods as ordinals (so rows sort by time with integer comparison) and their labels.
extension StatsGranularity {
    /// The period holding hour `hourOfDay` of day `day` (days since the epoch): hours since the
    /// epoch, days since the epoch, `year * 12 + month - 1`, or the year.
    func ordinal(day: Int, hourOfDay: Int) -> Int {
        switch self {
        case .hour: return day * 24 + hourOfDay
        case .day: return day
        case .month:
            let d = CivilDate(daysSinceEpoch: day)
            return d.year * 12 + d.month - 1
        case .year: return CivilDate(daysSinceEpoch: day).year
        }
    }

    /// `2026-11-23T10`, `2026-11-23`, `2026-11` or `2026`.
    package func label(_ ordinal: Int) -> String {
        switch self {
        case .hour:
            let date = CivilDate(daysSinceEpoch: ordinal / 24)
            return date.iso + "T" + Self.pad(ordinal % 24, 2)
        case .day:
            return CivilDate(daysSinceEpoch: ordinal).iso
        case .month:
            return Self.pad(ordinal / 12, 4) + "-" + Self.pad(ordinal % 12 + 1, 2)
        case .year:
            return Self.pad(ordinal, 4)
        }
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
