import XCTest

@testable import FolkbokModel

/// Twelve plain digits are read in place (`IdentityParser`'s fast path); the same number with a
/// separator, or with white space around it, goes the general way. Both must agree, and the
/// check digit must be the one `Luhn` computes, over random numbers near valid ones.
final class PersonnummerFastPathTests: XCTestCase {
    func test_fastAndGeneralSpellings_agree_andTheCheckDigitIsLuhns() {
        let today = CivilDate(year: 2026, month: 12, day: 6)!
        var rng = SplitMix64(seed: 12)
        var valid = 0
        for _ in 0..<20_000 {
            let year = Int.random(in: 1890...2027, using: &rng), month = Int.random(in: 0...13, using: &rng)
            let day = Int.random(in: 0...32, using: &rng) + (Bool.random(using: &rng) ? 60 : 0)
            let serial = Int.random(in: 0...999, using: &rng)
            let body = String(format: "%04d%02d%02d%03d", year, month, day, serial)
            let check =
                Bool.random(using: &rng)
                ? (Luhn.checkDigit(for: body.dropFirst(2)) ?? 0) : Int.random(in: 0...9, using: &rng)
            let twelve = body + String(check)
            let fast = Result { () throws(IdentityError) in try IdentityParser.parse(twelve, today: today) }
            let dashed = String(twelve.prefix(8)) + "-" + String(twelve.suffix(4))
            let general = Result { () throws(IdentityError) in try IdentityParser.parse(dashed, today: today) }
            let spaced = Result { () throws(IdentityError) in
                try IdentityParser.parse(" " + twelve + "\t", today: today)
            }
            XCTAssertEqual(fast, general, twelve)
            XCTAssertEqual(fast, spaced, twelve)
            if case .success(let id) = fast {
                valid += 1
                XCTAssertEqual(id.value, twelve)
                XCTAssertTrue(Luhn.isValid(digits: twelve.dropFirst(2)), twelve)
            } else if !Luhn.isValid(digits: twelve.dropFirst(2)) {
                XCTAssertEqual(fast, .failure(.checkDigit), twelve)
            }
        }
        XCTAssertGreaterThan(valid, 1000, "enough valid numbers were among them")
    }
}
