import FolkbokModel
import XCTest
@testable import FolkbokIndex

final class PersonStoreTests: XCTestCase {
    private func record(_ n: Int, variant: Int) -> PersonRecord {
        let digits = String(195001011000 + UInt64(n))
        var r = PersonRecord(id: Identity(kind: .personnummer, value: digits))
        r.name = PersonName(given: "Anna \(variant % 5)", callName: variant % 2 == 0 ? "Anna" : nil, middle: nil, surname: "Svensson\(variant % 17)")
        r.birthDate = CivilDate(year: 1950, month: 1, day: 1 + n % 28)
        r.sex = variant % 2 == 0 ? .female : .male
        r.address = variant % 9 == 0 ? nil : PostalAddress(careOf: nil, street: "Storgatan \(variant % 50)", postalCode: "11436", city: "STOCKHOLM")
        r.specialAddress = variant % 11 == 0 ? PostalAddress(street: "Box \(variant)", postalCode: "10005", city: "STOCKHOLM") : nil
        r.foreignAddress = variant % 13 == 0 ? ForeignAddress(lines: ["Karl Johans gate \(variant)"], country: "NORGE") : nil
        r.county = "01"
        r.municipality = "0180"
        r.protection = Protection(rawValue: UInt8(variant % 3))!
        r.test = variant % 2 == 1
        r.status = variant % 7 == 0 ? PersonStatus(state: .deregistered, date: CivilDate(year: 2020, month: 5, day: 1), reason: .UV) : PersonStatus()
        r.region = variant % 4 == 0 ? "03" : "01"
        r.contact = variant % 5 == 0 ? ContactDetails(email: "a\(variant)@example.se", phone: nil,
                                                      consent: Consent(source: "1177", date: CivilDate(year: 2026, month: 1, day: 2)!), version: 3) : nil
        r.reserveLinks = variant % 19 == 0 ? [Identity(kind: .reserve, value: "22790814AA01", issuer: "national")] : []
        r.version = UInt64(variant)
        return r
    }

    private func key(_ r: PersonRecord) -> IdentityKey { IdentityKey(r.id)! }

    /// Model-based: seeded upserts and removals against a plain array of records.
    func test_randomOperations_matchArrayModel() {
        var store = PersonStore()
        var model: [PersonRecord] = []
        var seed: UInt64 = 7
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for step in 0..<20_000 {
            let n = next() % 2_000
            let r = record(n, variant: next())
            if next() % 4 == 0 {
                let present = model.contains { $0.id == r.id }
                XCTAssertEqual(store.remove(key(r)), present, "step \(step)")
                model.removeAll { $0.id == r.id }
            } else {
                let present = model.contains { $0.id == r.id }
                XCTAssertEqual(store.upsert(r, key: key(r)), present ? .updated : .inserted)
                model.removeAll { $0.id == r.id }
                model.append(r)
            }
        }
        XCTAssertEqual(store.count, model.count)
        for r in model { XCTAssertEqual(store.record(for: key(r)), r) }
        XCTAssertEqual(Set(store.keys(inRegion: "03").map(\.raw)), Set(model.filter { $0.region == "03" }.map { key($0).raw }))
        XCTAssertEqual(store.keys(inRegion: "99"), [])
    }

    func test_absentKey_returnsNil() {
        let store = PersonStore()
        XCTAssertNil(store.record(for: IdentityKey(Identity(kind: .personnummer, value: "191212121212"))!))
    }
}
