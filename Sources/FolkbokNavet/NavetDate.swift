import FolkbokModel

/// A Navet date (`YYYYMMDD`, month or day `00` when unknown) is the register's `RegisterDate`;
/// this adds the Navet spelling.
public typealias NavetDate = RegisterDate

extension RegisterDate {
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
            if i < 4 {
                year = year * 10 + digit
            } else if i < 6 {
                month = month * 10 + digit
            } else {
                day = day * 10 + digit
            }
            i += 1
        }
        self.init(year: year, month: month, day: day)
    }

    /// `YYYYMMDD` as Navet writes it (zeros for the unknown parts).
    public var navet: String {
        String(digits: UInt64(year), width: 4) + String(digits: UInt64(month), width: 2)
            + String(digits: UInt64(day), width: 2)
    }
}
