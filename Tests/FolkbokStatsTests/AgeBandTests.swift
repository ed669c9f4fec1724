import FolkbokModel
import FolkbokStats
import XCTest

/// Age bands count whole years on the event's UTC date.
final class AgeBandTests: XCTestCase {
    func test_of_dayBefore18thBirthday_isChild_andBirthdayIsYoung() {
        let birth = date("2008-11-23")
        XCTAssertEqual(AgeBand.of(birthDate: birth, on: date("2026-11-22")), .child)
        XCTAssertEqual(AgeBand.of(birthDate: birth, on: date("2026-11-23")), .young)
    }

    func test_of_everyBandBoundary() {
        let birth = date("1950-06-15")
        let cases: [(String, AgeBand)] = [
            ("1950-06-15", .child), ("1968-06-14", .child), ("1968-06-15", .young),
            ("1990-06-14", .young), ("1990-06-15", .middle), ("2015-06-14", .middle), ("2015-06-15", .senior),
            ("2030-06-14", .senior), ("2030-06-15", .old), ("2090-01-01", .old),
        ]
        for (day, band) in cases {
            XCTAssertEqual(AgeBand.of(birthDate: birth, on: date(day)), band, day)
        }
    }

    func test_of_bornOn29February_turnsOlderOn1MarchInCommonYears_andOn29FebruaryInLeapYears() {
        let leapling = date("2008-02-29")
        XCTAssertEqual(AgeBand.of(birthDate: leapling, on: date("2026-02-28")), .child)
        XCTAssertEqual(AgeBand.of(birthDate: leapling, on: date("2026-03-01")), .young)
        let leapling2 = date("2012-02-29")
        XCTAssertEqual(AgeBand.of(birthDate: leapling2, on: date("2030-02-28")), .child)
        XCTAssertEqual(AgeBand.of(birthDate: leapling2, on: date("2030-03-01")), .young)
        let fortyInLeapYear = date("1988-02-29")
        XCTAssertEqual(AgeBand.of(birthDate: fortyInLeapYear, on: date("2028-02-28")), .young)
        XCTAssertEqual(AgeBand.of(birthDate: fortyInLeapYear, on: date("2028-02-29")), .middle)
        let sixtyFive = date("1964-02-29")
        XCTAssertEqual(AgeBand.of(birthDate: sixtyFive, on: date("2029-02-28")), .middle)
        XCTAssertEqual(AgeBand.of(birthDate: sixtyFive, on: date("2029-03-01")), .senior)
    }

    func test_of_noBirthDateOrBornLater_isUnknown() {
        XCTAssertEqual(AgeBand.of(birthDate: nil, on: date("2026-01-01")), .unknown)
        XCTAssertEqual(AgeBand.of(birthDate: date("2026-01-02"), on: date("2026-01-01")), .unknown)
        XCTAssertEqual(AgeBand.of(birthDate: date("2026-01-01"), on: date("2026-01-01")), .child)
    }

    func test_wireNames() {
        XCTAssertEqual(AgeBand.allCases.map(\.rawValue), ["0-17", "18-39", "40-64", "65-79", "80+", "unknown"])
    }
}
