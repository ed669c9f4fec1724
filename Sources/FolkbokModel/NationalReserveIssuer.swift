/// Deterministic issuing of national reserve identities (NRID) for `reserve.assign`.
///
/// Guarantees: for a given (birth date, sex), `make` is injective in `sequence` below
/// `capacity`, and `nil` from `capacity` on; every identity it answers parses with
/// `IdentityParser.parse` (given a `today` not before the birth date) as that same NRID,
/// with `impliedBirthDate` equal to the birth date given and `impliedSex` equal to the sex
/// given. Values for different (date, sex) pairs never collide, since date and sex are
/// encoded in the value. Remembering which sequence numbers are used is the caller's job.
///
/// The sequence is spent innermost first on `G` (the 5 digits of the sex, or the 21 letters
/// when sex is unknown), then on the 441 `NN` pairs, then, for a known date, on k = 1…26 in
/// `XXYY` = year + 300·k, or, for an unknown date (`XX` = `00`), on `DD` 40–59, `MM` 20–99
/// and `YY` 00–99. Early issues therefore look like `22790814AA0…` (k = 1).
///
/// A known birth date must fall in 1800–2099, the years for which every k decodes back
/// (see `NationalReserveFormat`); `make` answers `nil` otherwise. It does not check that
/// the date is not in the future: that needs a clock, and the caller has one.
public enum NationalReserveIssuer {
    /// The NRID for issue number `sequence` (0, 1, 2, …) among those with this birth date /
    /// sex. Injective in `sequence` for a given (birthDate, sex) up to `capacity`; nil past
    /// capacity or for a birth year outside 1800–2099.
    public static func make(birthDate: CivilDate?, sex: Sex?, sequence: UInt64) -> Identity? {
        guard sequence < capacity(birthDateKnown: birthDate != nil, sexKnown: sex != nil) else { return nil }
        let letters = NationalReserveFormat.letters
        let letterCount = UInt64(letters.count)
        var rest = sequence
        let gender: UInt8
        switch sex {
        case nil:
            gender = letters[Int(rest % letterCount)]
            rest /= letterCount
        case .female?, .male?:
            gender = UInt8(48 + 2 * (rest % 5) + (sex == .male ? 1 : 0))
            rest /= 5
        }
        let pair = Int(rest % (letterCount * letterCount))
        rest /= letterCount * letterCount
        let prefix: [Int]
        if let birthDate {
            guard
                (NationalReserveFormat.earliestIssuableBirthYear...NationalReserveFormat.latestBirthYear)
                    .contains(birthDate.year)
            else { return nil }
            let xxyy = birthDate.year + 300 * (Int(rest) + 1)
            prefix = [xxyy / 100, xxyy % 100, birthDate.month, birthDate.day]
        } else {
            let day = 40 + Int(rest % 20)
            rest /= 20
            let month = 20 + Int(rest % 80)
            rest /= 80
            prefix = [0, Int(rest), month, day]
        }
        var bytes = prefix.flatMap { [UInt8(48 + $0 / 10), UInt8(48 + $0 % 10)] }
        bytes += [letters[pair / letters.count], letters[pair % letters.count], gender]
        guard let check = Luhn.nationalReserveCheckDigit(for: String(decoding: bytes, as: UTF8.self)) else {
            return nil
        }
        bytes.append(UInt8(48 + check))
        return Identity(kind: .reserve, value: String(decoding: bytes, as: UTF8.self), issuer: Identity.nationalIssuer)
    }

    /// How many distinct NRIDs `make` can issue for one (birth date, sex) pair:
    /// 26·441·5 = 57,330 for a known date and sex, ×21/5 with sex unknown; an unknown date
    /// has 100·80·20 serials in place of the 26 values of k.
    public static func capacity(birthDateKnown: Bool, sexKnown: Bool) -> UInt64 {
        let letterCount = UInt64(NationalReserveFormat.letters.count)
        let genders: UInt64 = sexKnown ? 5 : letterCount
        let dateSpace: UInt64 = birthDateKnown ? UInt64(NationalReserveFormat.maximumK) : 100 * 80 * 20
        return genders * letterCount * letterCount * dateSpace
    }
}
