/// Parses personnummer and samordningsnummer in every spelling PROTOCOL.md allows.
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
        let (digits, year) = try digitsAndYear(bytes, today: today)
        guard Luhn.isValid(digits: String(decoding: digits.suffix(10).map { UInt8($0 + 48) }, as: UTF8.self)) else {
            throw .checkDigit
        }
        let month = digits[4] * 10 + digits[5]
        let dayField = digits[6] * 10 + digits[7]
        let samordning = dayField >= 60
        let day = samordning ? dayField - 60 : dayField
        try checkDate(year: year, month: month, day: day, dayMayBeUnknown: samordning, today: today)
        guard digits[8] != 0 || digits[9] != 0 || digits[10] != 0 else { throw .zeroSerial }
        let yearDigits = [year / 1000, year / 100 % 10, year / 10 % 10, year % 10]
        let value = String(decoding: (yearDigits + digits[4...]).map { UInt8($0 + 48) }, as: UTF8.self)
        return Identity(kind: samordning ? .samordningsnummer : .personnummer, value: value)
    }

    /// The 12 (century from the text) or 10 (century resolved) digits as values 0–9, padded
    /// to 12 with the resolved century, and the full birth year.
    private static func digitsAndYear(_ bytes: [UInt8], today: CivilDate) throws(IdentityError) -> ([Int], Int) {
        let separatorIndex: Int?
        switch bytes.count {
        case 12, 10: separatorIndex = nil
        case 13: separatorIndex = 8
        case 11: separatorIndex = 6
        default: throw .unrecognisedFormat
        }
        var separator: UInt8?
        var digits: [Int] = []
        for (i, byte) in bytes.enumerated() {
            if i == separatorIndex {
                guard byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") else { throw .unrecognisedFormat }
                separator = byte
            } else {
                guard byte >= 48, byte <= 57 else { throw .unrecognisedFormat }
                digits.append(Int(byte) - 48)
            }
        }
        if digits.count == 12 {
            return (digits, digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3])
        }
        let yy = digits[0] * 10 + digits[1]
        let latest = separator == UInt8(ascii: "+") ? today.year - 100 : today.year
        let year = latest - ((latest - yy) % 100 + 100) % 100
        return ([year / 1000, year / 100 % 10] + digits, year)
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
