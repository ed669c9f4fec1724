import FolkbokModel
import XCTest

final class NationalReserveParsingTests: XCTestCase {
    func test_parse_protocolVectors_areNationalReserveIdentities() throws {
        for vector in LuhnTests.protocolVectors {
            let identity = try IdentityParser.parse(vector, today: today)
            XCTAssertEqual(identity, Identity(kind: .reserve, value: vector, issuer: "national"))
            XCTAssertTrue(identity.isNationalReserve)
        }
    }

    func test_parse_lowercaseAndWhitespace_canonicalisedToUppercase() throws {
        XCTAssertEqual(try IdentityParser.parse(" 22950606fh12\n", today: today).value, "22950606FH12")
        XCTAssertEqual(try IdentityParser.parse("25780404khd5", today: today).value, "25780404KHD5")
    }

    /// Every single-character change that keeps the layout is caught by the check digit,
    /// except a letter swapped for one with the same contribution mod 10 under the
    /// protocol's rule (for example A and J, both 6+5 = 7+4 = 11 when undoubled): the
    /// NRID check, unlike plain Luhn on digits, cannot catch every single substitution.
    func test_parse_singleCharacterChanges_invalidUnlessTheCheckSchemeCannotSeeThem() {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-+ a")
        var undetectable: [String] = []
        for vector in LuhnTests.protocolVectors {
            let chars = Array(vector)
            for i in chars.indices {
                for replacement in alphabet where replacement.uppercased() != String(chars[i]) {
                    var changed = chars
                    changed[i] = replacement
                    let text = String(changed)
                    guard parseError(text) == nil else { continue }
                    undetectable.append(text)
                    XCTAssertTrue((8...10).contains(i), "a digit change went unnoticed: \(text)")
                    XCTAssertTrue(chars[i].isLetter || replacement.isLetter, text)
                }
            }
        }
        XCTAssertTrue(undetectable.contains("22790814AJ01"))
        XCTAssertLessThan(undetectable.count, 40)
    }

    func test_parse_everyDigitChangeOfTheVectors_fails() {
        for vector in LuhnTests.protocolVectors {
            let chars = Array(vector)
            for i in chars.indices where chars[i].isNumber {
                for d in "0123456789" where d != chars[i] {
                    var changed = chars
                    changed[i] = d
                    XCTAssertNotNil(parseError(String(changed)), String(changed))
                }
            }
        }
    }

    func test_parse_excludedLetters_fail() {
        for letter in ["I", "O", "Q", "V", "W"] {
            assertFails(nridWithCheckDigit("22790814A\(letter)0"), with: .reserveLetter)
            assertFails(nridWithCheckDigit("22790814\(letter)A0"), with: .reserveLetter)
            assertFails(nridWithCheckDigit("25780404KH\(letter)"), with: .reserveLetter)
        }
    }

    func test_parse_badLayout_failsAsUnrecognised() {
        assertFails("2279081AAA01", with: .unrecognisedFormat)
        assertFails("22790814AA0A", with: .unrecognisedFormat)
        assertFails("227908144A01", with: .unrecognisedFormat)
        assertFails("22790814AA012", with: .unrecognisedFormat)
    }

    func test_parse_unknownDateSerialOutOfRange_fails() {
        for prefix in ["00341945", "00342139", "00342160", "00340045", "00341240"] {
            assertFails(nridWithCheckDigit(prefix + "BZ3"), with: .reserveSerial)
        }
        for prefix in ["00002040", "00999959", "00502050"] {
            XCTAssertNil(parseError(nridWithCheckDigit(prefix + "BZK")), prefix)
        }
    }

    func test_parse_knownDateMustBeRealAndNotFuture() {
        assertFails(nridWithCheckDigit("22790230AA0"), with: .notARealDate)
        assertFails(nridWithCheckDigit("22000229AA0"), with: .notARealDate)
        XCTAssertNil(parseError(nridWithCheckDigit("23000229AA0")))
        assertFails(nridWithCheckDigit("23261124AA0"), with: .futureBirthDate)
        XCTAssertNil(parseError(nridWithCheckDigit("23261123AA0")))
    }

    func test_parse_anyMultipleOfThreeHundred_givesTheSameBirthYear() throws {
        for k in 1...26 {
            let xxyy = 1979 + 300 * k
            let text = nridWithCheckDigit(String(xxyy) + "0814AA0")
            let identity = try IdentityParser.parse(text, today: today)
            XCTAssertEqual(identity.impliedBirthDate, CivilDate(year: 1979, month: 8, day: 14), text)
        }
    }

    func test_parse_yearCodeTooSmall_fails() {
        assertFails(nridWithCheckDigit("01990814AA0"), with: .birthYearOutOfRange)
        assertFails(nridWithCheckDigit("03000814AA0"), with: .birthYearOutOfRange)
        XCTAssertNil(parseError(nridWithCheckDigit("03010814AA0")))
    }
}
