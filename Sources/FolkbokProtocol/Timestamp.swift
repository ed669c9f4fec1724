import FolkbokModel

/// ISO 8601 UTC times as the access log shows them (`2026-11-23T10:15:30.123456Z`), kept as
/// microseconds since the Unix epoch.
enum Timestamp {
    static func format(_ micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let date = CivilDate(unixSeconds: seconds)
        let secondOfDay = Int(seconds - Int64(date.daysSinceEpoch) * 86400)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return
            "\(date.iso)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(Int(fraction), 6))Z"
    }

    /// Parses `YYYY-MM-DD` (start of that day, or its end with `endOfDay`) or
    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
    static func parse(_ text: String, endOfDay: Bool = false) -> Int64? {
        if let date = CivilDate(iso: text) {
            let start = Int64(date.daysSinceEpoch) * 86_400_000_000
            return endOfDay ? start + 86_400_000_000 - 1 : start
        }
        let u = Array(text.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T"), u.last == UInt8(ascii: "Z"), u[13] == UInt8(ascii: ":"),
            u[16] == UInt8(ascii: ":"),
            let date = CivilDate(iso: String(decoding: u[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                let d = Int(u[i]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let h = number(11..<13), let m = number(14..<16), let s = number(17..<19), h < 24, m < 60, s < 60 else {
            return nil
        }
        var micros = 0
        if u.count > 20 {
            guard u[19] == UInt8(ascii: "."), u.count - 21 >= 1, u.count - 21 <= 9, let f = number(20..<(u.count - 1))
            else { return nil }
            var scaled = f
            for _ in 0..<(6 - min(6, u.count - 21)) { scaled *= 10 }
            for _ in 0..<max(0, u.count - 21 - 6) { scaled /= 10 }
            micros = scaled
        } else if u.count != 20 {
            return nil
        }
        return (Int64(date.daysSinceEpoch) * 86400 + Int64(h * 3600 + m * 60 + s)) * 1_000_000 + Int64(micros)
    }
}
