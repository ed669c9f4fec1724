import FolkbokModel
import XCTest

@testable import FolkbokIndex

final class GivenNameWordsTests: XCTestCase {
    func test_idsMatching_wholeGivenNamesOrPrefixes_hyphenatedIsOneName() {
        var pool = StringPool()
        var words = GivenNameWords()
        let texts = ["Anna-Karin", "Maria Anna", "Karin", "Annika  Eva", "Anna Anna"]
        let ids = texts.map { pool.intern($0) }
        for id in ids { words.add(id, strings: pool) }
        XCTAssertEqual(words.ids(matching: NamePattern("anna")).sorted(), [ids[1], ids[4]])
        XCTAssertEqual(words.ids(matching: NamePattern("Anna-Karin")), [ids[0]])
        XCTAssertEqual(words.ids(matching: NamePattern("Karin")), [ids[2]])
        XCTAssertEqual(words.ids(matching: NamePattern("ann*")).sorted(), [ids[0], ids[1], ids[3], ids[4]])
        XCTAssertEqual(words.ids(matching: NamePattern("eva")), [ids[3]])
        XCTAssertEqual(words.ids(matching: NamePattern("Ev")), [])
    }
}
