import FolkbokModel

/// The one attribute generator behind both `DemoPopulation` and `SyntheticPopulation`.
///
/// Guarantees: `make` is a pure function of (identity, birth date, sex, seed) and the factory's
/// settings — the same inputs always give the same record, independent of call order. Every
/// record has a call name that is one of its given names, a municipality inside its county,
/// a postal code and city from that municipality, a status date (if any) between birth and
/// `today`, and `version` 0. Shares (per million, drawn independently per person) are listed
/// on `DemoPopulation`.
final class PersonFactory: Sendable {
    let today: CivilDate
    let test: Bool
    let region: String?
    let salt: UInt64
    let places: [Municipality]
    let cumulativeWeights: [Int]
    let allPlaces: [Municipality]
    let allCumulativeWeights: [Int]
    let todayDays: Int
    /// Consent dates are drawn from 2024-01-01 up to 2026-12-31 or `today`, whichever is first.
    let consentFirstDay: Int
    let consentDayCount: Int

    let female = GivenNames.female
    let male = GivenNames.male
    let femaleFolded = GivenNames.female.map(Text.asciiFolded)
    let maleFolded = GivenNames.male.map(Text.asciiFolded)
    let surnames = Surnames.all
    let surnamesFolded = Surnames.all.map(Text.asciiFolded)
    let streets = StreetNames.all
    let numberedStreets = StreetNames.numbered

    /// - Parameters:
    ///   - county: if a known länskod, people are placed only in that county.
    ///   - region: written to every record's `region`; nil means "the person's county".
    ///   - salt: mixed into every person's seed (0 for the demo population).
    init(today: CivilDate, test: Bool, county: String? = nil, region: String? = nil, salt: UInt64 = 0) {
        self.today = today
        self.test = test
        self.region = region
        self.salt = salt
        todayDays = today.daysSinceEpoch
        let consentStart = CivilDate(year: 2024, month: 1, day: 1)!.daysSinceEpoch
        let consentEnd = min(CivilDate(year: 2026, month: 12, day: 31)!.daysSinceEpoch, todayDays)
        consentFirstDay = consentEnd >= consentStart ? consentStart : todayDays
        consentDayCount = consentEnd >= consentStart ? consentEnd - consentStart + 1 : 1
        let all = Municipalities.all
        let local = all.filter { $0.county == county }
        allPlaces = all
        allCumulativeWeights = PersonFactory.cumulative(all)
        places = local.isEmpty ? all : local
        cumulativeWeights = PersonFactory.cumulative(local.isEmpty ? all : local)
    }

    private static func cumulative(_ places: [Municipality]) -> [Int] {
        var total = 0
        return places.map {
            total += $0.population
            return total
        }
    }

    /// The per-person seed for a 12-digit number (as an integer).
    func seed(for number: UInt64) -> UInt64 { SplitMix64.mix(number ^ salt) }

    /// Builds the full record for one identity (all parts computed first, one initialiser call).
    func make(id: Identity, birth: CivilDate, sex: Sex, seed: UInt64) -> PersonRecord {
        var rng = SplitMix64(seed: seed)
        let (name, callIndex, surnameIndex) = makeName(sex: sex, rng: &rng)
        let home = pickPlace(in: places, cumulativeWeights, rng: &rng)
        let address = makeAddress(in: home, of: places, rng: &rng)
        let protection = makeProtection(rng: &rng)
        let life = makeLife(birth: birth, kind: id.kind, rng: &rng)
        var specialAddress: PostalAddress?
        if rng.chance(perMillion: 3_000) {
            let other = pickPlace(in: allPlaces, allCumulativeWeights, rng: &rng)
            specialAddress = makeSpecialAddress(in: allPlaces[other], rng: &rng)
        }
        var contact: ContactDetails?
        if life.status.state == .active, rng.chance(perMillion: 200_000) {
            let folded = sex == .female ? femaleFolded : maleFolded
            var stem = folded[callIndex]
            stem += "."
            stem += surnamesFolded[surnameIndex]
            contact = makeContact(emailName: stem, rng: &rng)
        }
        let county = places[home].county
        return PersonRecord(
            id: id, name: name, birthDate: birth, sex: sex, address: life.hasAddress ? address : nil,
            specialAddress: specialAddress, foreignAddress: life.foreignAddress, county: county,
            municipality: places[home].code, protection: protection, test: test, status: life.status,
            region: region ?? county, contact: contact)
    }

    /// Given names (30 % two, call name one of them), occasional middle name (5 %), surname;
    /// also the indices of the call name and surname (for the e-mail address).
    private func makeName(sex: Sex, rng: inout SplitMix64) -> (PersonName, Int, Int) {
        let names = sex == .female ? female : male
        let first = rng.below(names.count)
        var given = names[first]
        var call = first
        if rng.chance(perMillion: 300_000) {
            let second = (first + 1 + rng.below(names.count - 1)) % names.count
            given = Text.spaced(given, names[second])
            if rng.chance(perMillion: 300_000) { call = second }
        }
        let surname = rng.below(surnames.count)
        var middle: String?
        if rng.chance(perMillion: 50_000) {
            middle = surnames[(surname + 1 + rng.below(surnames.count - 1)) % surnames.count]
        }
        let name = PersonName(given: given, callName: names[call], middle: middle, surname: surnames[surname])
        return (name, call, surname)
    }
}
