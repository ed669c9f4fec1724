import FolkbokModel
import XCTest

final class IdentityFactsTests: XCTestCase {
    func test_personnummer_impliesDateAndSexFromSecondToLastDigit() throws {
        let male = try IdentityParser.parse("121212-1212", today: today)
        XCTAssertEqual(male.impliedBirthDate, CivilDate(year: 2012, month: 12, day: 12))
        XCTAssertEqual(male.impliedSex, .male)
        let female = Identity(kind: .personnummer, value: "189001019802")
        XCTAssertEqual(female.impliedBirthDate, CivilDate(year: 1890, month: 1, day: 1))
        XCTAssertEqual(female.impliedSex, .female)
    }

    func test_fixture_everyNumberImpliesItsOwnDate() throws {
        for number in testPersonnummerFixture {
            let identity = try IdentityParser.parse(number, today: today)
            let digits = Array(number.utf8).map { Int($0) - 48 }
            XCTAssertEqual(identity.impliedBirthDate?.packed, UInt32(number.prefix(8)), number)
            XCTAssertEqual(identity.impliedSex, digits[10] % 2 == 1 ? .male : .female, number)
        }
    }

    func test_samordningsnummer_impliesDayMinusSixty() {
        let identity = Identity(kind: .samordningsnummer, value: withCheckDigit("19701063239"))
        XCTAssertEqual(identity.impliedBirthDate, CivilDate(year: 1970, month: 10, day: 3))
        XCTAssertEqual(identity.impliedSex, .male)
    }

    func test_samordningsnummer_unknownMonthOrDay_impliesNoDateButStillSex() {
        for body in ["19700060239", "19700075239", "19701060239"] {
            let identity = Identity(kind: .samordningsnummer, value: withCheckDigit(body))
            XCTAssertNil(identity.impliedBirthDate, body)
            XCTAssertEqual(identity.impliedSex, .male, body)
        }
    }

    func test_nationalReserve_protocolVectors_implyTheirStatedFacts() {
        let expected: [(String, CivilDate?, Sex?)] = [
            ("22790814AA01", CivilDate(year: 1979, month: 8, day: 14), .female),
            ("22950606FH12", CivilDate(year: 1995, month: 6, day: 6), .male),
            ("25780404KHD5", CivilDate(year: 1978, month: 4, day: 4), nil),
            ("00342145BZ31", nil, .male),
            ("00749852BZK0", nil, nil),
        ]
        for (value, date, sex) in expected {
            let identity = Identity(kind: .reserve, value: value, issuer: "national")
            XCTAssertEqual(identity.impliedBirthDate, date, value)
            XCTAssertEqual(identity.impliedSex, sex, value)
        }
    }

    func test_localReserveAndMalformedValues_implyNothing() {
        let cases = [
            Identity(kind: .reserve, value: "22790814AA01", issuer: "13"),
            Identity(kind: .personnummer, value: "121212-1212"),
            Identity(kind: .personnummer, value: "20121212121X"),
            Identity(kind: .reserve, value: "2279081", issuer: "national"),
        ]
        for identity in cases {
            XCTAssertNil(identity.impliedBirthDate, identity.value)
            XCTAssertNil(identity.impliedSex, identity.value)
        }
    }
}
