import FolkbokModel

/// Building and reading 12-digit personnummer (YYYYMMDDNNNC) for the generators.
///
/// Guarantees: `make` returns a number whose check digit is the Luhn digit over the ten
/// digits YYMMDDNNN(C), and `decode` accepts exactly 12 ASCII digits whose date part (day
/// minus 60 for a samordningsnummer) is a real calendar date.
enum Personnummer {
    /// The Luhn check digit over the nine digits YYMMDDNNN.
    static func checkDigit(yy: Int, month: Int, day: Int, serial: Int) -> Int {
        var n = ((yy * 100 + month) * 100 + day) * 1000 + serial
        var sum = 0
        var double = true
        for _ in 0..<9 {
            let v = double ? (n % 10) * 2 : n % 10
            sum += v > 9 ? v - 9 : v
            double.toggle()
            n /= 10
        }
        return (10 - sum % 10) % 10
    }

    /// The canonical 12-digit string for a birth date and serial (1...999); `dayOffset` is 60
    /// for a samordningsnummer and 0 otherwise.
    static func make(birth: CivilDate, serial: Int, dayOffset: Int = 0) -> String {
        let day = birth.day + dayOffset
        let check = checkDigit(yy: birth.year % 100, month: birth.month, day: day, serial: serial)
        let number = ((birth.year * 100 + birth.month) * 100 + day) * 10_000 + serial * 10 + check
        return String(unsafeUninitializedCapacity: 12) { buf in
            var v = number
            for i in stride(from: 11, through: 0, by: -1) {
                buf[i] = UInt8(48 + v % 10)
                v /= 10
            }
            return 12
        }
    }

    /// The parts of a 12-digit number: its numeric value, kind, birth date and sex.
    struct Parts {
        var value: UInt64
        var kind: IdentityKind
        var birth: CivilDate
        var sex: Sex
    }

    /// Decodes 12 ASCII digits; nil if they are not digits or the date is not real.
    static func decode(_ bytes: some Collection<UInt8>) -> Parts? {
        guard bytes.count == 12 else { return nil }
        var value: UInt64 = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + UInt64(b - 48)
        }
        let year = Int(value / 100_000_000)
        let month = Int(value / 1_000_000 % 100)
        var day = Int(value / 10_000 % 100)
        let kind: IdentityKind = day >= 61 ? .samordningsnummer : .personnummer
        if kind == .samordningsnummer { day -= 60 }
        guard let birth = CivilDate(year: year, month: month, day: day) else { return nil }
        let sex: Sex = (value / 10) % 2 == 1 ? .male : .female
        return Parts(value: value, kind: kind, birth: birth, sex: sex)
    }
}
