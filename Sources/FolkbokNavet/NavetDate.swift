import FolkbokModel

/// A Navet date (`YYYYMMDD`), which may be incomplete: month `00` (only the year known) or
/// day `00` (year and month known).
///
/// Guarantees: the year is 1–9999; a known month is 1–12; a known day is valid for its month
/// and year; an unknown month implies an unknown day. `iso` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
public struct NavetDate: Sendable, Hashable, Comparable {
    public let year: Int
    /// 0 when unknown.
    public let month: Int
    /// 0 when unknown.
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (0...12).contains(month), day >= 0 else { return nil }
        if month == 0 {
            guard day == 0 else { return nil }
        } else if day != 0 {
            guard CivilDate(year: year, month: month, day: day) != nil else { return nil }
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly eight digits `YYYYMMDD`; nil for any other form or an impossible date.
    public init?(navet text: String) {
        guard text.utf8.count == 8 else { return nil }
        var year = 0
        var month = 0
        var day = 0
        var i = 0
        for b in text.utf8 {
            guard b >= 0x30 && b <= 0x39 else { return nil }
            let digit = Int(b - 0x30)
            if i < 4 { year = year * 10 + digit } else if i < 6 { month = month * 10 + digit } else { day = day * 10 + digit }
            i += 1
        }
        self.init(year: year, month: month, day: day)
    }

    public init(_ date: CivilDate) {
        year = date.year
        month = date.month
        day = date.day
    }

    /// The complete date, or nil when month or day is unknown.
    public var civilDate: CivilDate? { CivilDate(year: year, month: month, day: day) }

    public var isComplete: Bool { day != 0 }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    public var iso: String {
        var s = String(digits: UInt64(year), width: 4)
        if month != 0 { s += "-" + String(digits: UInt64(month), width: 2) }
        if day != 0 { s += "-" + String(digits: UInt64(day), width: 2) }
        return s
    }

    /// `YYYYMMDD` as Navet writes it (zeros for the unknown parts).
    public var navet: String {
        String(digits: UInt64(year), width: 4) + String(digits: UInt64(month), width: 2) + String(digits: UInt64(day), width: 2)
    }

    public static func < (a: NavetDate, b: NavetDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
