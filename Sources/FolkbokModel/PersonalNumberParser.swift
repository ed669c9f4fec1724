/// Parses personnummer and samordningsnummer in every spelling docs/PROTOCOL.md allows.
///
/// Guarantees: answers only canonical 12-digit values whose 10 last digits pass Luhn, whose
/// serial is not `000`, whose date is real (a samordningsnummer may leave the month `00`
/// or the day `60` unknown) and not after `today`; kind is `.samordningsnummer` exactly
/// when the day field is 60 or more.
///
/// A 10-digit spelling takes its century from the separator and `today`: `-` or none means
/// a birth year in Y−99…Y, `+` in Y−199…Y−100 (Y = `today.year`). Each range holds exactly
/// one year per two-digit `YY`, so the century is never guessed; a `-` date later this year
/// than `today` is therefore in the future (not a century earlier, which would need `+`).
/// A 12-digit spelling may carry `-` or `+` as well; the century is then written out, so the
/// separator is accepted without checking that it agrees with the age.
enum PersonalNumberParser {
    static func parse(_ bytes: [UInt8], today: CivilDate) throws(IdentityError) -> Identity {
        try bytes.withUnsafeBufferPointer { (b) throws(IdentityError) in try parse(b, today: today) }
    }

    /// As `parse(_:today:)` over bytes in place; allocates nothing but what `Identity` holds.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, today: CivilDate) throws(IdentityError) -> Identity {
        var digits = Digits()
        let year = try digitsAndYear(bytes, today: today, into: &digits)
        guard digits.luhnValid else { throw .checkDigit }
        let month = digits[4] * 10 + digits[5]
        let dayField = digits[6] * 10 + digits[7]
        let samordning = dayField >= 60
        let day = samordning ? dayField - 60 : dayField
        try checkDate(year: year, month: month, day: day, dayMayBeUnknown: samordning, today: today)
        guard digits[8] != 0 || digits[9] != 0 || digits[10] != 0 else { throw .zeroSerial }
        digits[0] = year / 1000
        digits[1] = year / 100 % 10
        digits[2] = year / 10 % 10
        digits[3] = year % 10
        return Identity(kind: samordning ? .samordningsnummer : .personnummer, value: digits.text)
    }

    /// Twelve decimal digits, in place.
    struct Digits {
        private var d: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int) = (
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
        )

        subscript(i: Int) -> Int {
            get { withUnsafeBytes(of: d) { $0.load(fromByteOffset: i * MemoryLayout<Int>.stride, as: Int.self) } }
            set {
                withUnsafeMutableBytes(of: &d) {
                    $0.storeBytes(of: newValue, toByteOffset: i * MemoryLayout<Int>.stride, as: Int.self)
                }
            }
        }

        /// Whether the last ten digits pass Luhn (the ordinary rule: from the right, every
        /// second digit doubled and digit-summed).
        var luhnValid: Bool {
            var sum = 0
            for i in 2..<12 {
                let v = self[i]
                sum += (11 - i) % 2 == 1 ? (v * 2 > 9 ? v * 2 - 9 : v * 2) : v
            }
            return sum % 10 == 0
        }

        /// The twelve digits as text.
        var text: String {
            String(unsafeUninitializedCapacity: 12) { out in
                for i in 0..<12 { out[i] = UInt8(self[i] + 48) }
                return 12
            }
        }
    }

    /// Fills `digits` with the 12 (century from the text) or 10 (century resolved, in
    /// places 0–1) digits as values 0–9; answers the full birth year.
    private static func digitsAndYear(_ bytes: UnsafeBufferPointer<UInt8>, today: CivilDate, into digits: inout Digits)
        throws(IdentityError) -> Int
    {
        let separatorIndex: Int?
        switch bytes.count {
        case 12, 10: separatorIndex = nil
        case 13: separatorIndex = 8
        case 11: separatorIndex = 6
        default: throw .unrecognisedFormat
        }
        let width = separatorIndex == nil ? bytes.count : bytes.count - 1
        var separator: UInt8?
        var next = 12 - width
        for (i, byte) in bytes.enumerated() {
            if i == separatorIndex {
                guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") else { throw .unrecognisedFormat }
                separator = byte
            } else {
                guard byte >= 48, byte <= 57 else { throw .unrecognisedFormat }
                digits[next] = Int(byte) - 48
                next += 1
            }
        }
        if width == 12 {
            return digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3]
        }
        let yy = digits[2] * 10 + digits[3]
        let latest = separator == UInt8(ascii: "+") ? today.year - 100 : today.year
        let year = latest - ((latest - yy) % 100 + 100) % 100
        digits[0] = year / 1000
        digits[1] = year / 100 % 10
        return year
    }

    /// Throws unless (year, month, day) is a real date not after `today`. With
    /// `dayMayBeUnknown` (a samordningsnummer), month 0 means an unknown month (then any day
    /// 0–31 is accepted) and day 0 an unknown day; the future check then compares only what
    /// is known.
    private static func checkDate(
        year: Int, month: Int, day: Int, dayMayBeUnknown: Bool, today: CivilDate
    ) throws(IdentityError) {
        guard year >= 1, month <= 12, day <= 31 else { throw .notARealDate }
        if month == 0 || day == 0 {
            guard dayMayBeUnknown else { throw .notARealDate }
            if month == 0 {
                guard year <= today.year else { throw .futureBirthDate }
            } else {
                guard (year, month) <= (today.year, today.month) else { throw .futureBirthDate }
            }
            return
        }
        guard let date = CivilDate(year: year, month: month, day: day) else { throw .notARealDate }
        guard date <= today else { throw .futureBirthDate }
    }
}
