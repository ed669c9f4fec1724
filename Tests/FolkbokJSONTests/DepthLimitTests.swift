import FolkbokJSON
import XCTest

final class DepthLimitTests: XCTestCase {
    private func nested(_ depth: Int, open: String, close: String) -> String {
        String(repeating: open, count: depth) + String(repeating: close, count: depth)
    }

    func testArraysAtMaxDepthParse() {
        XCTAssertNoThrow(try JSONParser.parse(nested(64, open: "[", close: "]")))
        XCTAssertNoThrow(try JSONParser.parse(nested(3, open: "[", close: "]"), maxDepth: 3))
    }

    func testArraysBeyondMaxDepthAreRejected() {
        XCTAssertThrowsError(try JSONParser.parse(nested(65, open: "[", close: "]"))) { error in
            XCTAssertEqual((error as? JSONParseError)?.message, "nesting too deep")
        }
        XCTAssertThrowsError(try JSONParser.parse(nested(4, open: "[", close: "]"), maxDepth: 3))
    }

    func testObjectsCountTowardDepth() {
        let three = #"{"a":{"b":{"c":1}}}"#
        XCTAssertNoThrow(try JSONParser.parse(three, maxDepth: 3))
        XCTAssertThrowsError(try JSONParser.parse(three, maxDepth: 2))
    }

    func testScalarsNeedNoDepth() {
        XCTAssertNoThrow(try JSONParser.parse("1", maxDepth: 0))
        XCTAssertThrowsError(try JSONParser.parse("[]", maxDepth: 0))
    }

    func testSiblingContainersDoNotAccumulateDepth() {
        let siblings = "[" + Array(repeating: "[[]]", count: 100).joined(separator: ",") + "]"
        XCTAssertNoThrow(try JSONParser.parse(siblings, maxDepth: 3))
    }

    func testHugeNestingFailsWithoutCrashing() {
        XCTAssertThrowsError(try JSONParser.parse(nested(100_000, open: "[", close: "]")))
    }
}
