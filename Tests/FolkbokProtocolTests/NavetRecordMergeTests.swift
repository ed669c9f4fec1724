import FolkbokModel
import FolkbokNavet
import XCTest

@testable import FolkbokProtocol

/// `NavetRecordMerge.record`: a whole post's record is taken out of the post (swapped, not
/// copied) and must come out exactly as the post mapped it, in the import's region, with only
/// what folkbok itself holds (reserve links, contact details) kept from the stored record.
final class NavetRecordMergeTests: XCTestCase {
    private let id = Identity(kind: .personnummer, value: "194603239056")

    private func mapped(whole: Bool) -> NavetMappedPost {
        let details = PersonDetails(
            citizenships: [.init(country: "SE", date: nil)],
            relations: [
                .init(
                    id: .identity(Identity(kind: .personnummer, value: "194310291051")), type: .spouse, from: nil,
                    to: nil)
            ])
        let record = PersonRecord(
            id: id, name: PersonName(given: "Anders Erik", callName: "Anders", surname: "Kjellberg"),
            address: PostalAddress(street: "Hantverkargatan 14", postalCode: "13231", city: "NACKA"), county: "01",
            municipality: "0182", details: details)
        return NavetMappedPost(
            isWhole: whole, parts: whole ? .all : [.name], record: record, statusDate: nil, profile4: details)
    }

    private var stored: PersonRecord {
        var r = PersonRecord(id: id, name: PersonName(given: "Old", surname: "Name"), municipality: "0180")
        r.reserveLinks = [Identity(kind: .reserve, value: "R1", issuer: "SE2321000016")]
        r.region = "02"
        r.history = [HistoryEntry(value: .municipality("0181"), until: CivilDate(year: 2020, month: 1, day: 1)!)]
        return r
    }

    func test_aWholePostWithoutAStoredRecord_isTheMappedRecordInTheRegion() {
        let post = mapped(whole: true)
        var expected = post.record
        expected.region = "01"
        XCTAssertEqual(NavetRecordMerge.record(post, stored: nil, region: "01"), expected)
        // The post the caller still holds is untouched (the merge took its own copy's record).
        XCTAssertEqual(post.record.region, nil)
        XCTAssertEqual(post.record.name.surname, "Kjellberg")
    }

    func test_aWholePostOverAStoredRecord_keepsOnlyLinksAndContact() {
        var old = stored
        old.contact = ContactDetails(
            email: "a@example.se", phone: nil,
            consent: Consent(source: "web", date: CivilDate(year: 2025, month: 5, day: 1)!), version: 3)
        var expected = mapped(whole: true).record
        expected.region = "01"
        expected.reserveLinks = old.reserveLinks
        expected.contact = old.contact
        XCTAssertEqual(NavetRecordMerge.record(mapped(whole: true), stored: old, region: "01"), expected)
    }

    func test_aChangePost_replacesOnlyItsParts() {
        var expected = stored
        expected.name = mapped(whole: false).record.name
        expected.region = "01"
        XCTAssertEqual(NavetRecordMerge.record(mapped(whole: false), stored: stored, region: "01"), expected)
        XCTAssertNil(NavetRecordMerge.record(mapped(whole: false), stored: nil, region: "01"))
    }
}
