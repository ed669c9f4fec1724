import FolkbokIndex
import FolkbokModel
import Foundation

@testable import FolkbokEngine

/// Records for snapshot tests: a hand-made set using every field kind (the golden fixture's
/// content) and a seeded bulk variant of it.
enum SnapshotSamples {
    static func d(_ y: Int, _ m: Int, _ day: Int) -> CivilDate { CivilDate(year: y, month: m, day: day)! }

    static let fixtureRecords: [PersonRecord] = {
        let full = PersonRecord(
            id: Identity(kind: .samordningsnummer, value: "199012722389"),
            name: PersonName(given: "Åsa Märta", callName: "Åsa", middle: "Ölund", surname: "Øster-Ñúñez 李"),
            birthDate: d(1990, 12, 12), sex: .female,
            address: PostalAddress(
                careOf: "c/o Ängel", street: "Storgatan 1 lgh 1101", postalCode: "11122", city: "Stockholm"),
            specialAddress: PostalAddress(careOf: nil, street: "Box 42", postalCode: "97231", city: "Luleå"),
            foreignAddress: ForeignAddress(lines: ["Rue de l'Église 3", "", "75001 Paris"], country: "Frankrike"),
            county: "01", municipality: "0180", protection: .skyddad, test: true,
            status: PersonStatus(state: .deregistered, civilDate: d(2020, 2, 29), reason: .GS), region: "25",
            contact: ContactDetails(
                email: "åsa@exempel.se", phone: "+46701234567",
                consent: Consent(source: "1177 – webb", date: d(2021, 6, 1)), version: UInt64.max),
            reserveLinks: [
                Identity(kind: .reserve, value: "19901212AB1C", issuer: "national"),
                Identity(kind: .reserve, value: "R-0001234", issuer: "25"),
                Identity(kind: .personnummer, value: "199012122389"),
            ],
            version: 1 << 40)
        let minimal = PersonRecord(id: Identity(kind: .personnummer, value: "190001010006"))
        var deceased = PersonRecord(
            id: Identity(kind: .personnummer, value: "194512249876"),
            name: PersonName(given: "Karl-Erik", surname: "Åström"),
            birthDate: d(1945, 12, 24), sex: .male, county: "25", municipality: "2580")
        deceased.address = PostalAddress(street: "Storgatan 1 lgh 1101", postalCode: "97231", city: "Luleå")
        deceased.status = PersonStatus(state: .deceased, civilDate: d(2023, 5, 17))
        deceased.version = 3
        var nrid = PersonRecord(id: Identity(kind: .reserve, value: "19800101XYZ3", issuer: "national"))
        nrid.name = PersonName(surname: "Doe")
        nrid.protection = .sekretess
        nrid.status = PersonStatus(state: .deregistered, civilDate: d(2010, 1, 1), reason: .UV)
        var test = PersonRecord(id: Identity(kind: .personnummer, value: "201212121212"), test: true)
        test.address = PostalAddress(street: "Testvägen 1", postalCode: "12345", city: "Teststad")
        test.reserveLinks = [Identity(kind: .reserve, value: "19800101XYZ3", issuer: "national")]
        test.contact = ContactDetails(
            email: nil, phone: "070-1234567", consent: Consent(source: "", date: d(2024, 2, 29)), version: 1)
        var abroad = PersonRecord(id: Identity(kind: .personnummer, value: "197001019999"), sex: .male)
        abroad.foreignAddress = ForeignAddress(lines: [], country: nil)
        abroad.status = PersonStatus(state: .deregistered, civilDate: d(2000, 1, 1), reason: .TA)
        abroad.region = "14"
        return [full, minimal, deceased, nrid, test, abroad]
    }()

    /// `count` records cycling through the fixture records with fresh personnummer and varied text.
    static func bulk(_ count: Int) -> [PersonRecord] {
        (0..<count).map { i in
            var r = fixtureRecords[i % fixtureRecords.count]
            r.id = Identity(kind: .personnummer, value: String(196001010000 + UInt64(i)))
            r.name.given = i % 3 == 0 ? nil : "Namn \(i % 211)"
            r.version = UInt64(i)
            return r
        }
    }

    /// The records spread over `shardCount` stores as the engine routes them.
    static func stores(_ records: [PersonRecord], shardCount: Int) -> [PersonStore] {
        var stores = [PersonStore](repeating: PersonStore(), count: shardCount)
        for r in records {
            let key = IdentityKey(r.id)!
            stores[Engine.shardIndex(key, shardCount: shardCount)].upsert(r, key: key)
        }
        return stores
    }
}
