import FolkbokCrypto
import FolkbokModel
import XCTest

@testable import FolkbokStats

/// Pseudonyms: 16 lowercase hex digits, stable within one export, unrelated across exports.
final class PseudonymiserTests: XCTestCase {
    func test_pseudonym_isSixteenLowercaseHexDigits() {
        let p = Pseudonymiser().pseudonym(of: "191212121212")
        XCTAssertEqual(p.count, 16)
        XCTAssertTrue(p.allSatisfy { "0123456789abcdef".contains($0) }, p)
    }

    func test_pseudonym_isStableWithinOnePseudonymiser_andDiffersAcrossTwo() {
        let one = Pseudonymiser()
        let two = Pseudonymiser()
        let ids = ["191212121212", "198001610001", "22790814AA01"]
        for id in ids {
            XCTAssertEqual(one.pseudonym(of: id), one.pseudonym(of: id))
            XCTAssertNotEqual(one.pseudonym(of: id), two.pseudonym(of: id))
        }
        XCTAssertEqual(Set(ids.map { one.pseudonym(of: $0) }).count, ids.count)
    }

    func test_pseudonym_isTheHMACSHA256PrefixUnderTheKey() {
        let key = [UInt8](repeating: 0x0b, count: 32)
        let expected = HMACSHA256.authenticate(Array("191212121212".utf8), key: key).prefix(8)
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        XCTAssertEqual(Pseudonymiser(key: key).pseudonym(of: "191212121212"), expected)
    }

    func test_pseudonym_ofIdentities_localReserveValuesOfTwoRegionsDiffer() {
        let p = Pseudonymiser()
        let pnr = Identity(kind: .personnummer, value: "191212121212")
        XCTAssertEqual(p.pseudonym(of: pnr), p.pseudonym(of: "191212121212"))
        let nrid = Identity(kind: .reserve, value: "22790814AA01", issuer: Identity.nationalIssuer)
        XCTAssertEqual(p.pseudonym(of: nrid), p.pseudonym(of: "22790814AA01"))
        let a = Identity(kind: .reserve, value: "R-1", issuer: "01")
        let b = Identity(kind: .reserve, value: "R-1", issuer: "03")
        XCTAssertNotEqual(p.pseudonym(of: a), p.pseudonym(of: b))
        XCTAssertEqual(p.pseudonym(of: a), p.pseudonym(of: a))
    }
}
