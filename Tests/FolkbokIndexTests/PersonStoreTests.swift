import FolkbokDemo
import FolkbokModel
import XCTest

@testable import FolkbokIndex

final class PersonStoreTests: XCTestCase {
    private func record(_ n: Int, variant: Int) -> PersonRecord {
        let digits = String(195001011000 + UInt64(n))
        var r = PersonRecord(id: Identity(kind: .personnummer, value: digits))
        r.name = PersonName(
            given: "Anna \(variant % 5)", callName: variant % 2 == 0 ? "Anna" : nil, middle: nil,
            surname: "Svensson\(variant % 17)")
        r.birthDate = CivilDate(year: 1950, month: 1, day: 1 + n % 28)
        r.sex = variant % 2 == 0 ? .female : .male
        r.address =
            variant % 9 == 0
            ? nil
            : PostalAddress(careOf: nil, street: "Storgatan \(variant % 50)", postalCode: "11436", city: "STOCKHOLM")
        r.specialAddress =
            variant % 11 == 0 ? PostalAddress(street: "Box \(variant)", postalCode: "10005", city: "STOCKHOLM") : nil
        r.foreignAddress =
            variant % 13 == 0 ? ForeignAddress(lines: ["Karl Johans gate \(variant)"], country: "NORGE") : nil
        r.county = "01"
        r.municipality = "0180"
        r.protection = Protection(rawValue: UInt8(variant % 3))!
        r.test = variant % 2 == 1
        r.status =
            variant % 7 == 0
            ? PersonStatus(state: .deregistered, civilDate: CivilDate(year: 2020, month: 5, day: 1), reason: .UV)
            : PersonStatus()
        r.region = variant % 4 == 0 ? "03" : "01"
        r.contact =
            variant % 5 == 0
            ? ContactDetails(
                email: "a\(variant)@example.se", phone: nil,
                consent: Consent(source: "1177", date: CivilDate(year: 2026, month: 1, day: 2)!), version: 3) : nil
        r.reserveLinks = variant % 19 == 0 ? [Identity(kind: .reserve, value: "22790814AA01", issuer: "national")] : []
        r.details = P4Samples.details(variant % 1000)
        r.history = P4Samples.history(variant % 997)
        r.version = UInt64(variant)
        return r
    }

    private func key(_ r: PersonRecord) -> IdentityKey { IdentityKey(r.id)! }

    /// Model-based: seeded upserts and removals against a plain array of records.
    func test_randomOperations_matchArrayModel() {
        var store = PersonStore()
        var model: [PersonRecord] = []
        var seed: UInt64 = 7
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33)
        }
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
        XCTAssertEqual(
            Set(store.keys(inRegion: "03").map(\.raw)), Set(model.filter { $0.region == "03" }.map { key($0).raw }))
        XCTAssertEqual(store.keys(inRegion: "99"), [])
    }

    /// P4 details and P5 history live in side tables flagged per row: a person without them
    /// has neither flag, and replacing or removing a person clears them.
    func test_detailsAndHistory_sideTablesFollowTheRecord() throws {
        var store = PersonStore()
        var r = record(1, variant: 2)
        r.details = try XCTUnwrap(P4Samples.details(6))
        r.history = P4Samples.history(5)
        XCTAssertFalse(r.history.isEmpty)
        store.upsert(r, key: key(r))
        XCTAssertEqual(store.record(for: key(r)), r)
        XCTAssertEqual(store.withPacked(key(r)) { $0?.details }, r.details)
        XCTAssertEqual(store.withPacked(key(r)) { $0?.history }, r.history)
        XCTAssertEqual(store.details.count, 1)
        XCTAssertEqual(store.historyEntryCount, r.history.count)
        r.details = PersonDetails()
        r.history = []
        store.upsert(r, key: key(r))
        var expected = r
        expected.details = nil
        XCTAssertEqual(store.record(for: key(r)), expected, "empty details are stored as none")
        XCTAssertEqual(store.details.count, 0)
        XCTAssertEqual(store.histories.count, 0)
        XCTAssertEqual(store.historyEntryCount, 0)
        r.history = P4Samples.history(9)
        store.upsert(r, key: key(r))
        XCTAssertTrue(store.remove(key(r)))
        XCTAssertEqual(store.histories.count, 0)
        XCTAssertEqual(store.historyEntryCount, 0)
    }

    /// After an import the store's arrays are reallocated, its side tables rebuilt at the size
    /// their counts need (a `full` import's removals leave them oversized) and their strings
    /// copied: the store holds exactly what it held (its image is byte for byte the plainly
    /// trimmed store's), and writes go on.
    func test_movingOutOfHeapArenas_keepsTheStoreExactly_andSizesSideTablesToTheirCounts() throws {
        var (store, records) = StoreSamples.store(20_000, seed: 5)
        for r in records.prefix(records.count * 3 / 4) { XCTAssertTrue(store.remove(key(r))) }
        var long = record(1_999, variant: 11)  // a special address
        long.specialAddress?.street = "Långa gatan 123, uppgång B, våning 4"
        store.upsert(long, key: key(long))
        let kept = Array(records.dropFirst(records.count * 3 / 4)) + [long]
        func streetStorage(_ s: PersonStore) -> UInt? {
            s.specialAddresses[key(long).raw]?.street?.utf8.withContiguousStorageIfAvailable {
                UInt(bitPattern: $0.baseAddress)
            }
        }
        var plain = store
        plain.trimAndRebuildSearchIndex()
        let rowsBefore = store.rows.withUnsafeBufferPointer { $0.baseAddress }
        store.trimAndRebuildSearchIndex(movingOutOfHeapArenas: true)

        XCTAssertNotEqual(store.rows.withUnsafeBufferPointer { $0.baseAddress }, rowsBefore, "rows reallocated")
        XCTAssertNotNil(streetStorage(plain))
        XCTAssertNotEqual(streetStorage(store), streetStorage(plain), "a long string copied")
        XCTAssertGreaterThan(store.contacts.count, 100)
        XCTAssertEqual(store.contacts.capacity, [UInt64: ContactRow](minimumCapacity: store.contacts.count).capacity)
        XCTAssertLessThan(store.contacts.capacity, plain.contacts.capacity, "the removals' room given back")
        var moved: [UInt8] = [], trimmed: [UInt8] = []
        store.writeImage(into: &moved)
        plain.writeImage(into: &trimmed)
        XCTAssertEqual(moved, trimmed)
        XCTAssertTrue(store.searchIndexIsExact)
        XCTAssertEqual(store.searchInvariantViolations, [])
        for r in kept { XCTAssertEqual(store.record(for: key(r)), r) }

        let fresh = record(1_998, variant: 5)
        store.upsert(fresh, key: key(fresh))
        XCTAssertTrue(store.remove(key(kept[0])))
        XCTAssertEqual(store.record(for: key(fresh)), fresh)
        XCTAssertNil(store.record(for: key(kept[0])))
        XCTAssertEqual(store.count, kept.count)
    }

    func test_absentKey_returnsNil() {
        let store = PersonStore()
        XCTAssertNil(store.record(for: IdentityKey(Identity(kind: .personnummer, value: "191212121212"))!))
    }
}
