import XCTest

@testable import FolkbokNavet

/// `NavetMapping.callName` splits on bytes when every space stands between ASCII bytes: the
/// same answers as splitting into `Character`s (the way it always did), for every marking.
final class NavetCallNameTests: XCTestCase {
    /// The implementation before the byte split, verbatim.
    private func byCharacters(_ marking: String?, _ given: String?) -> String? {
        guard let marking, let given else { return nil }
        let digits = Array(marking.utf8)
        guard digits.count == 2, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let n = Int(digits[0] - 0x30)
        let m = Int(digits[1] - 0x30)
        let names = given.split(separator: " ", omittingEmptySubsequences: true)
        guard n >= 1, n <= names.count, m <= names.count else { return nil }
        if m == 0 { return String(names[n - 1]) }
        return names[n - 1] + "-" + names[m - 1]
    }

    private let markings: [String?] = [
        nil, "", "1", "10", "12", "21", "20", "30", "99", "09", "00", "1a", "a1", "123", "１０",
    ]

    func test_edgeCases_areAsSplittingIntoCharacters() {
        let givens: [String?] = [
            nil, "", " ", "  ", "Per", " Per", "Per ", "Per  Olof", " Per Olof ", "Anna-Karin Eva Lena",
            "Åsa Örjan", "Åsa  Örjan Ängel", "Per \u{301}Olof", "Per\u{301} Olof", "Per \u{200D}Olof",
            "\u{600} Per", "Per \u{1F1F8}\u{1F1EA}", "Per\r\n Olof", "Per\t Olof", "é", "a b c d e f g h i j",
        ]
        for marking in markings {
            for given in givens {
                XCTAssertEqual(
                    NavetMapping.callName(marking: marking, given: given), byCharacters(marking, given),
                    "\(String(describing: marking)) \(String(describing: given?.unicodeScalars.map(\.value)))")
            }
        }
    }

    func test_randomNames_areAsSplittingIntoCharacters() {
        var rng = SystemRandomNumberGenerator()
        let pieces = [
            "Per", "Olof", "Åsa", "é", " ", " ", "  ", "\u{301}", "\u{200D}", "\u{600}", "-", "A", "ö", "\u{1F1F8}",
            "\r\n", "\t",
        ]
        for _ in 0..<20_000 {
            let given = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            let marking = "\(Int.random(in: 0...9, using: &rng))\(Int.random(in: 0...9, using: &rng))"
            XCTAssertEqual(
                NavetMapping.callName(marking: marking, given: given), byCharacters(marking, given),
                "\(marking) \(given.unicodeScalars.map(\.value))")
        }
    }

    func test_theByteSplit_isTakenOnlyWhenEverySpaceIsBetweenASCIIBytes() {
        XCTAssertNotNil(NavetMapping.asciiSpacedWords("Åsa Maria", 1, 0))
        XCTAssertNil(NavetMapping.asciiSpacedWords("Åsa Örjan", 1, 0))
        XCTAssertNil(NavetMapping.asciiSpacedWords("Per \u{301}Olof", 1, 0))
        XCTAssertEqual(NavetMapping.asciiSpacedWords("  Per  Olof ", 2, 1)?.count, 2)
    }
}
