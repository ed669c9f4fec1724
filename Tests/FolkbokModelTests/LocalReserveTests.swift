import FolkbokModel
import XCTest

final class LocalReserveTests: XCTestCase {
    func test_localReserve_validValue_keptExactlyWithIssuer() throws {
        for value in ["a", "RES-0001-b", "12345678901234567890", "-", "ABCdef"] {
            let identity = try IdentityParser.localReserve(value, issuer: "13", today: today)
            XCTAssertEqual(identity, Identity(kind: .reserve, value: value, issuer: "13"))
            XCTAssertFalse(identity.isNationalReserve)
        }
    }

    func test_localReserve_wrongLengthOrCharacters_fails() {
        for value in ["", "123456789012345678901", " a", "a b", "a_b", "åäö", "a\n", "a.b"] {
            XCTAssertThrowsError(try IdentityParser.localReserve(value, issuer: "13", today: today)) {
                XCTAssertEqual(($0 as? IdentityError), .localReserveFormat, value)
            }
        }
    }

    func test_localReserve_thatParsesAsNationalForm_fails() {
        for value in [
            "121212-1212", "201212121212", "1212121212", "22790814AA01", "22790814aa01",
            withCheckDigit("19701063239"),
        ] {
            XCTAssertThrowsError(try IdentityParser.localReserve(value, issuer: "13", today: today)) {
                XCTAssertEqual(($0 as? IdentityError), .localReserveIsNational, value)
            }
        }
    }

    func test_localReserve_nationalFormFailingItsCheck_isAccepted() throws {
        XCTAssertEqual(try IdentityParser.localReserve("121212-1213", issuer: "13", today: today).value, "121212-1213")
        XCTAssertEqual(
            try IdentityParser.localReserve("22790814AA02", issuer: "13", today: today).value, "22790814AA02")
    }

    func test_localReserve_missingOrNationalIssuer_fails() {
        for issuer in ["", "national"] {
            XCTAssertThrowsError(try IdentityParser.localReserve("R1", issuer: issuer, today: today)) {
                XCTAssertEqual(($0 as? IdentityError), .localReserveIssuer)
            }
        }
    }
}
