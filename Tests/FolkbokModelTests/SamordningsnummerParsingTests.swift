import FolkbokModel
import XCTest

final class SamordningsnummerParsingTests: XCTestCase {
    func test_parse_dayPlusSixty_isSamordningsnummer() {
        assertParses(withCheckDigit("701063-239"), to: withCheckDigit("19701063239"), kind: .samordningsnummer)
        assertParses(withCheckDigit("20121272121"), to: withCheckDigit("20121272121"), kind: .samordningsnummer)
    }

    func test_parse_everySpelling_givesCanonicalTwelveDigits() {
        let canonical = withCheckDigit("19701063239")
        for body in ["19701063239", "19701063-239", "19701063+239", "701063239", "701063-239"] {
            assertParses(withCheckDigit(body), to: canonical, kind: .samordningsnummer)
        }
        assertParses(withCheckDigit("701063+239"), to: withCheckDigit("18701063239"), kind: .samordningsnummer)
    }

    func test_parse_unknownMonthOrDay_valid() {
        assertParses(withCheckDigit("19700060239"), to: withCheckDigit("19700060239"), kind: .samordningsnummer)
        assertParses(withCheckDigit("19700091239"), to: withCheckDigit("19700091239"), kind: .samordningsnummer)
        assertParses(withCheckDigit("19700160239"), to: withCheckDigit("19700160239"), kind: .samordningsnummer)
        assertParses(withCheckDigit("19701260239"), to: withCheckDigit("19701260239"), kind: .samordningsnummer)
    }

    func test_parse_dayBeyondMonth_fails() {
        assertFails(withCheckDigit("19700092239"), with: .notARealDate)
        assertFails(withCheckDigit("19700491239"), with: .notARealDate)
        assertFails(withCheckDigit("19700291239"), with: .notARealDate)
        assertFails(withCheckDigit("19701360239"), with: .notARealDate)
        assertFails(withCheckDigit("19701299239"), with: .notARealDate)
    }

    func test_parse_leapDayPlusSixty_followsTheGregorianRule() {
        assertParses(withCheckDigit("20000289123"), to: withCheckDigit("20000289123"), kind: .samordningsnummer)
        assertFails(withCheckDigit("19000289123"), with: .notARealDate)
    }

    func test_parse_monthZeroOrDayZeroWithoutSixty_failsForPersonnummer() {
        assertFails(withCheckDigit("19700010239"), with: .notARealDate)
        assertFails(withCheckDigit("19700100239"), with: .notARealDate)
    }

    func test_parse_partlyUnknownDate_futureComparesWhatIsKnown() {
        assertParses(withCheckDigit("20261160123"), to: withCheckDigit("20261160123"), kind: .samordningsnummer)
        assertFails(withCheckDigit("20261260123"), with: .futureBirthDate)
        assertParses(withCheckDigit("20260060123"), to: withCheckDigit("20260060123"), kind: .samordningsnummer)
        assertFails(withCheckDigit("20270060123"), with: .futureBirthDate)
        assertFails(withCheckDigit("20261184123"), with: .futureBirthDate)
        assertParses(withCheckDigit("20261183123"), to: withCheckDigit("20261183123"), kind: .samordningsnummer)
    }

    func test_parse_tenDigitUnknownMonth_takesCenturyFromSeparator() {
        assertParses(withCheckDigit("260060-123"), to: withCheckDigit("20260060123"), kind: .samordningsnummer)
        assertParses(withCheckDigit("270060-123"), to: withCheckDigit("19270060123"), kind: .samordningsnummer)
        assertParses(withCheckDigit("270060+123"), to: withCheckDigit("18270060123"), kind: .samordningsnummer)
    }

    func test_parse_serialZeroOrWrongCheck_fails() {
        assertFails(withCheckDigit("19701063000"), with: .zeroSerial)
        let valid = withCheckDigit("19701063239")
        let wrong = String(valid.dropLast()) + String((Int(String(valid.last!))! + 1) % 10)
        assertFails(wrong, with: .checkDigit)
    }
}
