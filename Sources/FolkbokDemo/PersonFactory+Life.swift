import FolkbokModel

/// Markings, life status and contact details.
extension PersonFactory {
    /// 0.1 % skyddad folkbokföring, 0.5 % sekretessmarkering, otherwise none.
    func makeProtection(rng: inout SplitMix64) -> Protection {
        let r = rng.below(1_000_000)
        if r < 1_000 { return .skyddad }
        if r < 6_000 { return .sekretess }
        return .none
    }

    /// A person's life status and what it implies for the addresses.
    struct Life {
        var status = PersonStatus()
        var foreignAddress: ForeignAddress?
        var hasAddress = true
    }

    /// Deceased: 99 % of those born before 1915 and 90 % of those born 1915–1929 (died in the
    /// later half of their life so far), 1 % of the others (any day from birth to today). Of the
    /// living, 0.5 % are deregistered within the last 30 years (never before birth): 80 % UV
    /// (emigrated, with an utlandsadress), the rest another Navet code. Deregistered persons
    /// have no Swedish address. Persons born after `today` stay active.
    func makeLife(birth: CivilDate, kind: IdentityKind, rng: inout SplitMix64) -> Life {
        var life = Life()
        let birthDays = birth.daysSinceEpoch
        guard birthDays <= todayDays else { return life }
        let old = birth.year < 1930
        let deathOdds = birth.year < 1915 ? 990_000 : old ? 900_000 : 10_000
        if rng.chance(perMillion: deathOdds) {
            let first = old ? birthDays + (todayDays - birthDays) / 2 : birthDays
            let day = first + rng.below(todayDays - first + 1)
            life.status = PersonStatus(state: .deceased, civilDate: CivilDate(daysSinceEpoch: day))
            return life
        }
        guard rng.chance(perMillion: 5_000) else { return life }
        let first = max(birthDays, todayDays - 30 * 365)
        let day = first + rng.below(todayDays - first + 1)
        let reason: DeregistrationReason
        if rng.chance(perMillion: 800_000) {
            reason = .UV
            life.foreignAddress = makeForeignAddress(rng: &rng)
        } else {
            let others: [DeregistrationReason] =
                kind == .samordningsnummer ? [.AS, .GS, .AN, .OB] : [.GN, .AN, .OB, .TA]
            reason = others[rng.below(others.count)]
        }
        life.hasAddress = false
        life.status = PersonStatus(state: .deregistered, civilDate: CivilDate(daysSinceEpoch: day), reason: reason)
        return life
    }

    /// E-mail `stem<1–99>@example.se`, phone `+4670NNNNNNN`, consent from "1177" or
    /// "Mina sidor" on a day in 2024–2026 (not after `today`), version 1.
    func makeContact(emailName stem: String, rng: inout SplitMix64) -> ContactDetails {
        var email = stem
        Text.append(1 + rng.below(99), to: &email)
        email += "@example.se"
        var phone = "+4670"
        phone += Text.digits(rng.below(10_000_000), width: 7)
        let source = rng.below(2) == 0 ? "1177" : "Mina sidor"
        let date = CivilDate(daysSinceEpoch: consentFirstDay + rng.below(consentDayCount))
        return ContactDetails(email: email, phone: phone, consent: Consent(source: source, date: date), version: 1)
    }
}
