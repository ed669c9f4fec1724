import FolkbokModel
import XCTest

/// `PersonRecord.replacing`: an entry per name or address part replaced by a different value,
/// newest first, none for identical or previously absent values, independent of the history
/// the new record carried.
final class HistoryRecordingTests: XCTestCase {
    private let day = CivilDate(year: 2026, month: 12, day: 7)!
    private let earlier = CivilDate(year: 2025, month: 1, day: 2)!

    private func person() -> PersonRecord {
        var r = PersonRecord(id: Identity(kind: .personnummer, value: "191212121212"))
        r.name = PersonName(given: "Tolvan", callName: nil, middle: nil, surname: "Tolvansson")
        r.address = PostalAddress(careOf: nil, street: "Gatan 1", postalCode: "11436", city: "STOCKHOLM")
        r.municipality = "0180"
        return r
    }

    func testEachReplacedPartGetsAnEntry_newestFirst() {
        var old = person()
        old.history = [HistoryEntry(value: .municipality("1480"), until: earlier)]
        var new = person()
        new.name.surname = "Öberg"
        new.address = nil
        new.foreignAddress = ForeignAddress(lines: ["Rue 1"], country: "FR")
        new.municipality = "0114"
        let r = new.replacing(old, on: day)
        XCTAssertEqual(
            r.history,
            [
                HistoryEntry(value: .name(old.name), until: day),
                HistoryEntry(value: .address(old.address!), until: day),
                HistoryEntry(value: .municipality("0180"), until: day),
                HistoryEntry(value: .municipality("1480"), until: earlier),
            ])
        var back = old
        back.history = []
        let again = back.replacing(r, on: day)
        XCTAssertEqual(again.history.first, HistoryEntry(value: .name(new.name), until: day))
        XCTAssertEqual(
            again.history.map(\.field),
            [.name, .foreignAddress, .municipality, .name, .address, .municipality, .municipality])
    }

    func testIdenticalValuesAndNewPersonsAddNothing() {
        let old = person()
        var same = person()
        same.version = 9
        XCTAssertEqual(same.replacing(old, on: day).history, [])
        XCTAssertEqual(same.replacing(nil, on: day), same)
        var fromNothing = PersonRecord(id: old.id)
        fromNothing.address = old.address
        XCTAssertEqual(old.replacing(fromNothing, on: day).history, [], "a part the old record lacked is not history")
    }

    func testTheCarriedHistoryIsIgnored() {
        var old = person()
        old.history = [HistoryEntry(value: .municipality("1480"), until: earlier)]
        var copy = old
        copy.address?.street = "Vägen 2"
        let r = copy.replacing(old, on: day)
        XCTAssertEqual(r.history, [HistoryEntry(value: .address(old.address!), until: day)] + old.history)
    }
}
