import FolkbokModel
import FolkbokNavet

/// Turns one synthetic record into a Navet post and the values reading it must give
/// (`SyntheticNavet.Person`), adding the P4 parts from the person's own seed.
struct NavetPersonBuilder: Sendable {
    let seed: UInt64
    let today: CivilDate

    static let foreignCountries = ["NO", "FI", "DK", "DE", "PL", "IQ", "SY", "IR", "SO", "TR"]
    static let foreignBirthPlaces = [
        ("Oslo", "NORGE"), ("Helsingfors", "FINLAND"), ("Köpenhamn", "DANMARK"), ("Berlin", "TYSKLAND"),
        ("Kraków", "POLEN"), ("Bagdad", "IRAK"), ("Damaskus", "SYRIEN"), ("Teheran", "IRAN"),
    ]

    func person(from synthetic: PersonRecord) -> SyntheticNavet.Person {
        var rng = SplitMix64(seed: SplitMix64.mix((UInt64(synthetic.id.value) ?? 0) ^ seed ^ 0x4E41_5645_5400))
        var record = synthetic
        record.contact = nil
        record.region = nil
        var post = NavetPost(index: 0)
        post.totalpost = "J"
        post.changedAt = NavetDate(today).navet + "101500"
        post.personNumber = record.id.value

        switch record.protection {
        case .skyddad:
            post.secrecyMarking = "N"
            post.protectedRegistration = "J"
        case .sekretess:
            post.secrecyMarking = "J"
            if rng.chance(perMillion: 500_000) { post.protectedRegistration = "N" }
        case .none:
            post.secrecyMarking = "N"
        }
        post.name = name(&record, rng: &rng)
        if let county = record.county, let municipality = record.municipality {
            post.registration = NavetPost.Registration(
                date: date(after: record.birthDate, rng: &rng).navet, county: county,
                municipality: String(municipality.suffix(2)))
        }
        if record.address != nil || record.specialAddress != nil || record.foreignAddress != nil {
            post.addresses = NavetPost.Addresses(
                registered: record.address.map { postal($0, rng: &rng) },
                special: record.specialAddress.map { postal($0, rng: &rng) },
                foreign: record.foreignAddress.map { f in
                    NavetPost.ForeignAddress(
                        line1: f.lines.first, line2: f.lines.dropFirst().first, line3: f.lines.dropFirst(2).first,
                        country: f.country)
                })
        }
        var statusDate: NavetDate?
        if record.status.state != .active, let d = record.status.date {
            statusDate = d
            let r = rng.below(100)
            if r < 8 {
                statusDate = NavetDate(year: d.year, month: d.month, day: 0)
                record.status.date = statusDate
            } else if r < 10 {
                statusDate = NavetDate(year: d.year, month: 0, day: 0)
                record.status.date = statusDate
            }
            let code = record.status.state == .deceased ? "AV" : record.status.reason?.rawValue
            post.deregistration = NavetPost.Deregistration(code: code, date: statusDate?.navet)
        }
        var profile = NavetProfile4()
        if record.status.reason == .GN {
            let birth = record.birthDate ?? today
            let newNumber = Personnummer.make(birth: birth, serial: 1 + rng.below(999))
            post.referredTo = newNumber
            profile.referredTo = Identity(kind: .personnummer, value: newNumber)
        }
        addProfile4(record, &post, &profile, rng: &rng)
        record.details = profile.isEmpty ? nil : profile
        return SyntheticNavet.Person(post: post, record: record, statusDate: statusDate, profile4: profile)
    }

    /// The name with its call-name marking: mostly the call name's position, sometimes two names
    /// joined (`12`, `21`), sometimes no marking (then no call name).
    private func name(_ record: inout PersonRecord, rng: inout SplitMix64) -> NavetPost.Name {
        let given = record.name.given ?? ""
        let names = given.split(separator: " ").map(String.init)
        var marking: String?
        let r = rng.below(100)
        if names.count >= 2 && r < 5 {
            marking = r < 3 ? "12" : "21"
        } else if r < 97, let call = record.name.callName, let position = names.firstIndex(of: call), position < 9 {
            marking = String(position + 1) + "0"
        }
        record.name.callName = NavetMapping.callName(marking: marking, given: record.name.given)
        return NavetPost.Name(
            callNameMarking: marking, given: record.name.given, middle: record.name.middle, surname: record.name.surname
        )
    }

    /// Street as `Utdelningsadress2` (70 %) or `Utdelningsadress1`; postal code written `NNN NN` 20 % of the time.
    private func postal(_ a: PostalAddress, rng: inout SplitMix64) -> NavetPost.PostalAddress {
        var code = a.postalCode
        if let c = code, c.utf8.count == 5, rng.chance(perMillion: 200_000) {
            code = String(c.prefix(3)) + " " + String(c.suffix(2))
        }
        if rng.chance(perMillion: 700_000) {
            return NavetPost.PostalAddress(careOf: a.careOf, line2: a.street, postalCode: code, city: a.city)
        }
        return NavetPost.PostalAddress(careOf: a.careOf, line1: a.street, postalCode: code, city: a.city)
    }

    private func addProfile4(
        _ record: PersonRecord, _ post: inout NavetPost, _ profile: inout NavetProfile4, rng: inout SplitMix64
    ) {
        let birth = record.birthDate ?? CivilDate(year: 1970, month: 1, day: 1)!
        let adult = CivilDate(year: birth.year + 18, month: birth.month, day: min(birth.day, 28))!
        let isAdult = adult <= today
        // Civil status: unmarried minors; adults by shares, with a date after their 18th birthday.
        var code = "OG"
        if isAdult {
            let r = rng.below(100)
            code = r < 40 ? "OG" : r < 85 ? "G" : r < 95 ? "S" : r < 99 ? "Ä" : "RP"
        }
        var civilDate: NavetDate?
        if code != "OG" {
            let d = date(after: adult, rng: &rng)
            civilDate = rng.chance(perMillion: 100_000) ? NavetDate(year: d.year, month: d.month, day: 0) : d
        }
        post.civilStatus = NavetPost.CivilStatus(code: code, date: civilDate?.navet)
        profile.civilStatus = NavetProfile4.CivilStatus(code: code, date: civilDate)

        // Birth place and immigration: 85 % born in Sweden.
        if rng.chance(perMillion: 850_000) {
            post.birth = NavetPost.Birth(homeCounty: record.county)
            profile.birthPlace = .sweden(county: record.county, parish: nil)
            post.citizenships = [NavetPost.Citizenship(country: "SE")]
            profile.citizenships = [NavetProfile4.Citizenship(country: "SE", date: nil)]
        } else {
            let (place, country) = NavetPersonBuilder.foreignBirthPlaces[
                rng.below(NavetPersonBuilder.foreignBirthPlaces.count)]
            post.birth = NavetPost.Birth(placeAbroad: place, countryAbroad: country)
            profile.birthPlace = .abroad(place: place, country: country)
            let arrived = date(after: birth, rng: &rng)
            let immigration =
                rng.chance(perMillion: 200_000) ? NavetDate(year: arrived.year, month: 0, day: 0)! : arrived
            post.immigration = NavetPost.Immigration(date: immigration.navet)
            profile.immigrationDate = immigration
            let foreign = NavetPersonBuilder.foreignCountries[rng.below(NavetPersonBuilder.foreignCountries.count)]
            post.citizenships = [NavetPost.Citizenship(country: foreign)]
            profile.citizenships = [NavetProfile4.Citizenship(country: foreign, date: nil)]
            if rng.chance(perMillion: 400_000) {
                let d = date(after: arrived.civilDate, rng: &rng)
                post.citizenships.append(NavetPost.Citizenship(country: "SE", date: d.navet))
                profile.citizenships.append(NavetProfile4.Citizenship(country: "SE", date: d))
            }
        }

        var relations: [NavetProfile4.Relation] = []
        if !isAdult {
            for type in [NavetProfile4.RelationType.mother, .father] where rng.chance(perMillion: 900_000) {
                let parent = number(bornBetween: birth.year - 42, and: birth.year - 20, rng: &rng)
                relations.append(
                    NavetProfile4.Relation(id: .identity(parent), type: type, from: NavetDate(birth), to: nil))
            }
        } else {
            if code == "G" {
                let spouse = number(bornBetween: birth.year - 5, and: min(birth.year + 5, 2000), rng: &rng)
                relations.append(NavetProfile4.Relation(id: .identity(spouse), type: .spouse, from: civilDate, to: nil))
            }
            if birth.year + 20 < today.year, rng.chance(perMillion: 400_000) {
                for _ in 0..<(1 + rng.below(2)) {
                    let child = number(
                        bornBetween: birth.year + 20, and: min(birth.year + 45, today.year - 1), rng: &rng)
                    let childBirth = child.impliedBirthDate.map(NavetDate.init)
                    relations.append(
                        NavetProfile4.Relation(id: .identity(child), type: .child, from: childBirth, to: nil))
                }
            }
            if rng.chance(perMillion: 5_000) {
                let year = min(birth.year + 25, today.year - 1)
                let value = String(digits: UInt64(year), width: 4) + "06151200"
                relations.append(NavetProfile4.Relation(id: .birthTime(value), type: .child, from: nil, to: nil))
            }
        }
        if !relations.isEmpty || rng.chance(perMillion: 100_000) {
            profile.relations = relations
            post.relations = relations.map { r in
                var p = NavetPost.Relation(type: r.type.rawValue, from: r.from?.navet, to: r.to?.navet)
                switch r.id {
                case .identity(let id): p.personNumber = id.value
                case .birthTime(let value): p.birthTimeNumber = value
                }
                return p
            }
        }
    }

    /// A valid personnummer born on a day in `first…last` (years).
    private func number(bornBetween first: Int, and last: Int, rng: inout SplitMix64) -> Identity {
        let from = CivilDate(year: max(1900, first), month: 1, day: 1)!.daysSinceEpoch
        let to = min(CivilDate(year: max(1900, last), month: 12, day: 31)!.daysSinceEpoch, today.daysSinceEpoch)
        let day = CivilDate(daysSinceEpoch: from + rng.below(max(1, to - from + 1)))
        return Identity(kind: .personnummer, value: Personnummer.make(birth: day, serial: 1 + rng.below(999)))
    }

    /// A complete date from `start` (or 1950) up to today.
    private func date(after start: CivilDate?, rng: inout SplitMix64) -> NavetDate {
        let from = min((start ?? CivilDate(year: 1950, month: 1, day: 1)!).daysSinceEpoch, today.daysSinceEpoch)
        return NavetDate(CivilDate(daysSinceEpoch: from + rng.below(today.daysSinceEpoch - from + 1)))
    }
}
