import FolkbokModel
import XCTest

/// `RegisterDate`: the three ISO forms parse and print back, `packed` round-trips and equals
/// `CivilDate.packed` for complete dates, and impossible or malformed dates are refused.
final class RegisterDateTests: XCTestCase {
    func testTheThreeIsoFormsRoundTrip() throws {
        for text in ["2024-02-29", "1999-12", "1850", "0001", "9999-12-31", "2001-01"] {
            let d = try XCTUnwrap(RegisterDate(iso: text), text)
            XCTAssertEqual(d.iso, text)
            XCTAssertEqual(RegisterDate(packed: d.packed), d)
        }
        let month = try XCTUnwrap(RegisterDate(iso: "1999-12"))
        XCTAssertEqual([month.year, month.month, month.day], [1999, 12, 0])
        XCTAssertEqual(month.packed, 19991200)
        XCTAssertFalse(month.isComplete)
        XCTAssertNil(month.civilDate)
        XCTAssertEqual(RegisterDate(iso: "1850")?.packed, 18500000)
    }

    func testCompleteDatesMatchCivilDate() throws {
        for year in [1, 1900, 2000, 2023, 9999] {
            for month in 1...12 {
                for day in 1...CivilDate.daysIn(month: month, year: year) {
                    let c = try XCTUnwrap(CivilDate(year: year, month: month, day: day))
                    let r = RegisterDate(c)
                    XCTAssertEqual(r.packed, c.packed)
                    XCTAssertEqual(r.iso, c.iso)
                    XCTAssertEqual(r.civilDate, c)
                    XCTAssertTrue(r.isComplete)
                    XCTAssertEqual(RegisterDate(iso: c.iso), r)
                }
            }
        }
    }

    func testImpossibleAndMalformedDatesAreRefused() {
        for text in [
            "2023-02-29", "2024-13", "2024-00", "2024-01-00", "0000", "2024-1", "2024-01-1", "24-01-01",
            "2024/01/01", "2024-01-01T", "", "abcd", "2024-04-31", " 2024", "2024-",
        ] {
            XCTAssertNil(RegisterDate(iso: text), text)
        }
        XCTAssertNil(RegisterDate(year: 0, month: 0, day: 0))
        XCTAssertNil(RegisterDate(year: 10000, month: 1, day: 1))
        XCTAssertNil(RegisterDate(year: 2020, month: 0, day: 5), "an unknown month implies an unknown day")
        XCTAssertNil(RegisterDate(year: 2020, month: 2, day: 30))
        XCTAssertNil(RegisterDate(year: 2020, month: 13, day: 0))
        XCTAssertNil(RegisterDate(packed: 0))
        XCTAssertNil(RegisterDate(packed: 20200230))
        XCTAssertNil(RegisterDate(packed: 20200005))
        XCTAssertNotNil(RegisterDate(year: 2020, month: 2, day: 0))
    }

    func testOrderPutsUnknownPartsFirst() throws {
        let year = try XCTUnwrap(RegisterDate(iso: "2020"))
        let month = try XCTUnwrap(RegisterDate(iso: "2020-03"))
        let day = try XCTUnwrap(RegisterDate(iso: "2020-03-04"))
        XCTAssertLessThan(year, month)
        XCTAssertLessThan(month, day)
        XCTAssertLessThan(day, try XCTUnwrap(RegisterDate(iso: "2021")))
    }
}

/// `PersonDetails.isEmpty` and `HistoryEntry`'s frozen field codes.
final class PersonDetailsModelTests: XCTestCase {
    func testEmptyDetailsKnowNothing() throws {
        XCTAssertTrue(PersonDetails().isEmpty)
        XCTAssertFalse(PersonDetails(civilStatus: .init(code: "G", date: nil)).isEmpty)
        XCTAssertFalse(PersonDetails(citizenships: [.init(country: "SE", date: nil)]).isEmpty)
        XCTAssertFalse(PersonDetails(birthPlace: .abroad(place: nil, country: "FI")).isEmpty)
        XCTAssertFalse(PersonDetails(immigrationDate: RegisterDate(iso: "1990")).isEmpty)
        XCTAssertFalse(
            PersonDetails(relations: [.init(id: .birthTime("20200101-1234"), type: .child, from: nil, to: nil)]).isEmpty
        )
        XCTAssertFalse(
            PersonDetails(referredTo: Identity(kind: .personnummer, value: "191212121212", issuer: nil)).isEmpty)
        XCTAssertEqual(PersonDetails.CivilStatus.codes.count, 7)
        XCTAssertEqual(
            PersonDetails.RelationType.allCases.map(\.rawValue), ["B", "MO", "FA", "F", "V", "VF", "M", "P"])
    }

    func testHistoryFieldCodesAreFrozenAndDistinct() throws {
        XCTAssertEqual(HistoryField.allCases.map(\.code), [1, 2, 3, 4, 5])
        for f in HistoryField.allCases { XCTAssertEqual(HistoryField(code: f.code), f) }
        XCTAssertNil(HistoryField(code: 0))
        XCTAssertNil(HistoryField(code: 6))
        let e = HistoryEntry(
            value: .municipality("0180"), until: try XCTUnwrap(CivilDate(year: 2026, month: 1, day: 2)))
        XCTAssertEqual(e.field, .municipality)
        XCTAssertEqual(HistoryValue.specialAddress(PostalAddress()).field.rawValue, "specialAddress")
    }
}
