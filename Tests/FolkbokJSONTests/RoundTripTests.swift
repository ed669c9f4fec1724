import FolkbokJSON
import XCTest

final class RoundTripTests: XCTestCase {
    private static let pieces: [String] = [
        "\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\u{B}", "\u{C}", "\r", "\u{1F}", "\u{7F}",
        "a", "Z", "0", " ", "é", "ß", "Å", "€", "\u{FFFF}", "\u{D7FF}", "\u{E000}", "😀", "𝄞", "👩‍👩‍👧", "\u{10FFFF}", "name",
    ]
    private static let numbers = [
        "0", "-0", "7", "-1.5e3", "1E+2", "0.000001", "18446744073709551615", "-9223372036854775808", "3.14159",
    ]

    private func randomString(_ g: inout SeededGenerator) -> String {
        var s = ""
        for _ in 0..<Int.random(in: 0...12, using: &g) { s += Self.pieces.randomElement(using: &g)! }
        return s
    }

    private func randomValue(_ g: inout SeededGenerator, depth: Int) -> JSONValue {
        let kind = Int.random(in: 0..<(depth > 5 ? 4 : 6), using: &g)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &g))
        case 2: return .number(Self.numbers.randomElement(using: &g)!)
        case 3: return .string(randomString(&g))
        case 4: return .array((0..<Int.random(in: 0...5, using: &g)).map { _ in randomValue(&g, depth: depth + 1) })
        default:
            let members = (0..<Int.random(in: 0...5, using: &g)).map { _ in
                (key: randomString(&g), value: randomValue(&g, depth: depth + 1))
            }
            return .object(JSONObject(members))
        }
    }

    func testRandomValuesSurviveWriteThenParse() throws {
        var g = SeededGenerator(seed: 0xF01C_B0C)
        for _ in 0..<500 {
            let value = randomValue(&g, depth: 0)
            var w = JSONWriter()
            w.value(value)
            let reparsed = try JSONParser.parse(w.bytes)
            XCTAssertEqual(reparsed, value)
            var again = JSONWriter()
            again.value(reparsed)
            XCTAssertEqual(again.bytes, w.bytes)
        }
    }

    func testParsedDocumentWritesBackCompactly() throws {
        let text = #" { "jsonrpc" : "2.0", "id" : -1.50e3 , "params" : [ "\u00e9\ud83d\ude00", null ] } "#
        var w = JSONWriter()
        w.value(try JSONParser.parse(text))
        XCTAssertEqual(
            String(decoding: w.bytes, as: UTF8.self), #"{"jsonrpc":"2.0","id":-1.50e3,"params":["é😀",null]}"#)
    }

    func testEqualityIsOrderSensitiveForObjects() {
        let ab = JSONObject([(key: "a", value: .null), (key: "b", value: .null)])
        let ba = JSONObject([(key: "b", value: .null), (key: "a", value: .null)])
        XCTAssertNotEqual(ab, ba)
        XCTAssertEqual(ab, JSONObject([(key: "a", value: .null), (key: "b", value: .null)]))
        XCTAssertNotEqual(JSONValue.number("1"), .number("1.0"))
    }
}
