import FolkbokModel
import XCTest

final class PersonnummerParsingTests: XCTestCase {
    func test_parse_everySpelling_givesCanonicalTwelveDigits() {
        for spelling in ["201212121212", "20121212-1212", "20121212+1212", "1212121212", "121212-1212"] {
            assertParses(spelling, to: "201212121212", kind: .personnummer)
        }
        assertParses("121212+1212", to: "191212121212", kind: .personnummer)
    }

    func test_parse_tenDigitWithPlus_meansHundredOrOlder() {
        assertParses("121212+1212", to: "191212121212", kind: .personnummer)
        assertParses(withCheckDigit("261123+123"), to: withCheckDigit("19261123123"), kind: .personnummer)
        assertParses(withCheckDigit("270101+123"), to: withCheckDigit("18270101123"), kind: .personnummer)
    }

    func test_parse_tenDigitWithDash_meansUnderHundred() {
        assertParses("121212-1212", to: "201212121212", kind: .personnummer)
        assertParses(withCheckDigit("270101-123"), to: withCheckDigit("19270101123"), kind: .personnummer)
        assertParses(withCheckDigit("260101-123"), to: withCheckDigit("20260101123"), kind: .personnummer)
        assertParses(withCheckDigit("261123-123"), to: withCheckDigit("20261123123"), kind: .personnummer)
    }

    func test_parse_tenDigitWithoutSeparator_readsLikeDash() {
        assertParses(withCheckDigit("270101123"), to: withCheckDigit("19270101123"), kind: .personnummer)
        assertParses(withCheckDigit("260101123"), to: withCheckDigit("20260101123"), kind: .personnummer)
    }

    func test_parse_tenDigitDashLaterThisYear_isFutureNotLastCentury() {
        assertFails(withCheckDigit("261124-123"), with: .futureBirthDate)
        assertFails(withCheckDigit("261224123"), with: .futureBirthDate)
    }

    func test_parse_centuryFollowsInjectedToday() {
        let newYear2000 = CivilDate(year: 2000, month: 1, day: 1)!
        assertParses(
            withCheckDigit("991231-123"), to: withCheckDigit("19991231123"), kind: .personnummer, on: newYear2000)
        assertParses(
            withCheckDigit("000101-123"), to: withCheckDigit("20000101123"), kind: .personnummer, on: newYear2000)
        assertParses(
            withCheckDigit("000101+123"), to: withCheckDigit("19000101123"), kind: .personnummer, on: newYear2000)
        assertParses(
            withCheckDigit("010101-123"), to: withCheckDigit("19010101123"), kind: .personnummer, on: newYear2000)
    }

    func test_parse_twelveDigitWithEitherSeparator_acceptedWithoutAgeCheck() {
        assertParses("20121212+1212", to: "201212121212", kind: .personnummer)
        assertParses("19121212-1212", to: "191212121212", kind: .personnummer)
    }

    func test_parse_wrongCheckDigit_fails() {
        for wrong in 0...9 where wrong != 2 {
            assertFails("121212-121\(wrong)", with: .checkDigit)
            assertFails("20121212121\(wrong)", with: .checkDigit)
        }
    }

    func test_parse_checkDigitIgnoresCentury() {
        assertParses("191212121212", to: "191212121212", kind: .personnummer)
        assertParses("201212121212", to: "201212121212", kind: .personnummer)
    }

    func test_parse_leapDays_followTheGregorianRule() {
        assertParses(withCheckDigit("20000229123"), to: withCheckDigit("20000229123"), kind: .personnummer)
        assertParses(withCheckDigit("20240229123"), to: withCheckDigit("20240229123"), kind: .personnummer)
        assertFails(withCheckDigit("19000229123"), with: .notARealDate)
        assertFails(withCheckDigit("20230229123"), with: .notARealDate)
    }

    func test_parse_leapDayInTenDigitForm_centuryDecidesValidity() {
        assertParses(withCheckDigit("000229-123"), to: withCheckDigit("20000229123"), kind: .personnummer)
        assertFails(withCheckDigit("000229+123"), with: .notARealDate)
    }

    func test_parse_impossibleDates_fail() {
        for body in [
            "20200230123", "20200431123", "20201301123", "20200001123", "20200100123", "20200132123",
            "20200159123", "00000101123",
        ] {
            assertFails(withCheckDigit(body), with: .notARealDate)
        }
    }

    func test_parse_futureDate_fails() {
        assertFails(withCheckDigit("20261124123"), with: .futureBirthDate)
        assertFails(withCheckDigit("20270101123"), with: .futureBirthDate)
        assertParses(withCheckDigit("20261123123"), to: withCheckDigit("20261123123"), kind: .personnummer)
    }

    func test_parse_serialZero_fails() {
        assertFails(withCheckDigit("20121212000"), with: .zeroSerial)
        assertFails(withCheckDigit("121212-000"), with: .zeroSerial)
        assertParses(withCheckDigit("20121212001"), to: withCheckDigit("20121212001"), kind: .personnummer)
    }

    func test_parse_surroundingWhitespace_ignored() {
        for text in ["  121212-1212", "121212-1212\n", "\t201212121212 \r\n", "\u{00A0}1212121212\u{2003}"] {
            assertParses(text, to: "201212121212", kind: .personnummer)
        }
    }

    func test_parse_garbage_isUnrecognisedFormat() {
        let garbage = [
            "", "   ", "abc", "12121212121", "121212121", "1212121212121", "121212/1212", "121212 1212",
            "12121-21212", "121212--1212", "2012121-21212", "١٢١٢١٢١٢١٢", "１２１２１２１２１２",
            "20121212_1212", "-1212121212", "12121212121A", "+121212121", "121212-121a",
        ]
        for text in garbage {
            assertFails(text, with: .unrecognisedFormat)
        }
    }

    func test_parse_skatteverketTestNumbers_allValidAndUnchanged() {
        XCTAssertGreaterThanOrEqual(testPersonnummerFixture.count, 200)
        for number in testPersonnummerFixture {
            assertParses(number, to: number, kind: .personnummer)
        }
    }

    func test_parse_skatteverketTestNumbersInTenDigitForm_separatorGivesBackTheCentury() {
        for number in testPersonnummerFixture {
            let year = Int(number.prefix(4))!
            let separator = today.year - year >= 100 ? "+" : "-"
            let short = number.dropFirst(2)
            assertParses(short.prefix(6) + separator + short.suffix(4), to: number, kind: .personnummer)
        }
    }
}
