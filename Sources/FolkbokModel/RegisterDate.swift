/// A date as the population register writes it, which may be incomplete: only the year known
/// (month 0), or only year and month (day 0). Navet writes such dates as `YYYYMMDD` with `00`
/// for the unknown parts; folkbok writes them `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
///
/// Guarantees: the year is 1–9999; a known month is 1–12; a known day is valid for its month
/// and year; an unknown month implies an unknown day. `packed` (`YYYYMMDD` with zeros for the
/// unknown parts) is never 0 and equals `CivilDate.packed` for a complete date, so a field that
/// held a `CivilDate` on disk holds a `RegisterDate` with the same bytes.
public struct RegisterDate: Sendable, Hashable, Comparable {
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

    public init(_ date: CivilDate) {
        year = date.year
        month = date.month
        day = date.day
    }

    /// Parses exactly `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (the parts known); nil for any other
    /// form, for `00` parts and for an impossible date.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 4 || u.count == 7 || u.count == 10 else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let d = Int(u[i]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let y = num(0..<4) else { return nil }
        var m = 0, d = 0
        if u.count >= 7 {
            guard u[4] == UInt8(ascii: "-"), let month = num(5..<7), month != 0 else { return nil }
            m = month
        }
        if u.count == 10 {
            guard u[7] == UInt8(ascii: "-"), let day = num(8..<10), day != 0 else { return nil }
            d = day
        }
        self.init(year: y, month: m, day: d)
    }

    /// Packed `YYYYMMDD` with `00` for unknown parts (for compact storage); 0 is never a date.
    public var packed: UInt32 { UInt32(year * 10000 + month * 100 + day) }

    public init?(packed: UInt32) {
        let v = Int(packed)
        self.init(year: v / 10000, month: (v / 100) % 100, day: v % 100)
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

    /// Orders by year, then month, then day; an unknown part sorts before every known one.
    public static func < (a: RegisterDate, b: RegisterDate) -> Bool { a.packed < b.packed }
}
