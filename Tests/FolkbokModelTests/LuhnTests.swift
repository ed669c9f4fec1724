import FolkbokModel
import XCTest

final class LuhnTests: XCTestCase {
    static let protocolVectors = ["22790814AA01", "22950606FH12", "25780404KHD5", "00342145BZ31", "00749852BZK0"]

    func test_isValid_knownPersonnummerDigits_true() {
        XCTAssertTrue(Luhn.isValid(digits: "1212121212"))
        XCTAssertTrue(Luhn.isValid(digits: "8112189876"))
        XCTAssertTrue(Luhn.isValid(digits: "0"))
    }

    func test_isValid_anySingleDigitChange_false() {
        let valid = Array("8112189876")
        for i in valid.indices {
            for d in "0123456789" where d != valid[i] {
                var changed = valid
                changed[i] = d
                XCTAssertFalse(Luhn.isValid(digits: String(changed)), String(changed))
            }
        }
    }

    func test_isValid_emptyOrNonDigit_false() {
        XCTAssertFalse(Luhn.isValid(digits: ""))
        XCTAssertFalse(Luhn.isValid(digits: "12121A1212"))
        XCTAssertFalse(Luhn.isValid(digits: "121212-1212"))
    }

    func test_checkDigit_alwaysMakesAValidNumber() {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<2000 {
            let body = String((0..<9).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            let check = Luhn.checkDigit(for: body)!
            XCTAssertTrue(Luhn.isValid(digits: body + String(check)))
            XCTAssertFalse(Luhn.isValid(digits: body + String((check + 1) % 10)))
        }
        XCTAssertNil(Luhn.checkDigit(for: ""))
    }

    func test_nationalReserve_protocolVectors_valid() {
        for vector in Self.protocolVectors {
            XCTAssertTrue(Luhn.isValidNationalReserve(vector), vector)
            XCTAssertEqual(Luhn.nationalReserveCheckDigit(for: vector.prefix(11)), Int(String(vector.last!)), vector)
        }
    }

    /// 22790814AA01 right to left: 1, 0·2, A=65 → 6+5, A=65·2=130 → 1+3+0, 4, 1·2, 8, 0·2,
    /// 9, 7·2=14 → 1+4, 2, 2·2: 1+0+11+4+4+2+8+0+9+5+2+4 = 50.
    func test_nationalReserve_letterIsAsciiCodeThenDoubledAndDigitSummed() {
        XCTAssertEqual(Luhn.nationalReserveCheckDigit(for: "22790814AA0"), 1)
        // D = 68: doubled 136 → 10, not the digital root 1; the third vector needs the full digit sum.
        XCTAssertTrue(Luhn.isValidNationalReserve("25780404KHD5"))
        XCTAssertFalse(Luhn.isValidNationalReserve("25780404KHD6"))
    }

    func test_nationalReserve_agreesWithPlainLuhnOnDigits() {
        XCTAssertTrue(Luhn.isValidNationalReserve("1212121212"))
        XCTAssertEqual(Luhn.nationalReserveCheckDigit(for: "811218987"), Luhn.checkDigit(for: "811218987"))
    }

    func test_nationalReserve_lowercaseOrCheckLetter_false() {
        XCTAssertFalse(Luhn.isValidNationalReserve("22790814aa01"))
        XCTAssertFalse(Luhn.isValidNationalReserve("22790814AA0A"))
        XCTAssertFalse(Luhn.isValidNationalReserve(""))
    }
}
