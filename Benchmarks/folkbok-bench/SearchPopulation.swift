import FolkbokDemo
import FolkbokModel

/// A synthetic population for the search measurements, with FolkbokDemo's name and street
/// lists (30 % double given names, 150 house numbers with 8 % letters) but its own simple,
/// index-addressable layout: 137 municipalities weighted by size with 100 postal codes per prefix, birth days
/// 1925–2025, 20 % with a unique e-mail address and phone number, 0.6 % protected.
///
/// Guarantees: `record(i)` is a pure function of `i`; ids are distinct 12-digit personnummer
/// for `i` below 36 M.
enum SearchPopulation {
    static let surnames = Surnames.all
    static let female = GivenNames.female
    static let male = GivenNames.male
    static let streets = StreetNames.all

    /// (kommunkod, weight, postal prefixes, city)
    static let municipalities: [(code: String, weight: Int, postal: [Int], city: String)] = (0..<137).map { m in
        let weight = m == 0 ? 985 : max(5, 300 / (m + 1) + (m * 37) % 40)
        let prefixes = (0..<max(1, weight / 60)).map { 100 + (m * 7 + $0) % 880 }
        return (String(1000 + m * 7).suffix(4).description, weight, prefixes, "ORT\(m)")
    }

    static let cumulative: [Int] = {
        var total = 0
        return municipalities.map {
            total += $0.weight
            return total
        }
    }()

    private static let firstDay = CivilDate(year: 1925, month: 1, day: 1)!.daysSinceEpoch
    private static let days = 36_889

    static func record(_ i: Int) -> PersonRecord {
        var rng = SplitMix64(seed: UInt64(i) &* 0x9E37_79B9_7F4A_7C15 ^ 0x5EA2C4)
        func below(_ n: Int) -> Int { Int(truncatingIfNeeded: rng.next().multipliedFullWidth(by: UInt64(n)).high) }
        let slot = (i &* 7_368_787) % (days * 999)
        let birth = CivilDate(daysSinceEpoch: firstDay + slot / 999)
        let serial = 1 + slot % 999
        let digits = String(UInt64(birth.packed) * 10_000 + UInt64(serial * 10 + serial % 10))
        var r = PersonRecord(id: Identity(kind: .personnummer, value: digits))
        let names = serial % 2 == 0 ? female : male
        var first = names[below(names.count)]
        if below(10) < 3 { first += " " + names[below(names.count)] }
        r.name = PersonName(
            given: first, callName: first, middle: below(20) == 0 ? surnames[below(surnames.count)] : nil,
            surname: surnames[min(below(surnames.count), below(surnames.count))])
        r.birthDate = birth
        r.sex = serial % 2 == 0 ? .female : .male
        let target = below(cumulative.last!)
        let m = cumulative.firstIndex { $0 > target }!
        let place = municipalities[m]
        var street = streets[below(streets.count)] + " \(1 + below(150))"
        if below(100) < 8 { street += String(UnicodeScalar(UInt8(65 + below(4)))) }
        let postal = place.postal[below(place.postal.count)] * 100 + below(100)
        r.address = PostalAddress(street: street, postalCode: String(postal), city: place.city)
        r.county = String(place.code.prefix(2))
        r.municipality = place.code
        r.region = r.county
        let p = below(1000)
        r.protection = p < 1 ? .skyddad : p < 6 ? .sekretess : .none
        if below(5) == 0 {
            r.contact = ContactDetails(
                email: "p\(i)@exempel.se", phone: "070\(i)",
                consent: Consent(source: "app", date: CivilDate(year: 2024, month: 1, day: 1)!), version: 1)
        }
        return r
    }
}
