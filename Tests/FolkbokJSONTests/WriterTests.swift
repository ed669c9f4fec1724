import FolkbokJSON
import XCTest

final class WriterTests: XCTestCase {
    private static let shortEscapes: [UInt8: String] = [
        0x08: #"\b"#, 0x09: #"\t"#, 0x0A: #"\n"#, 0x0C: #"\f"#, 0x0D: #"\r"#,
    ]

    func testEveryControlByteIsEscaped() throws {
        for b in UInt8(0)..<0x20 {
            let out = written { $0.string(String(UnicodeScalar(b))) }
            let hex = String(b, radix: 16)
            let expected = Self.shortEscapes[b] ?? "\\u00" + (hex.count == 1 ? "0" + hex : hex)
            XCTAssertEqual(out, "\"" + expected + "\"", "byte \(b)")
            XCTAssertEqual(try JSONParser.parse(out), .string(String(UnicodeScalar(b))))
        }
    }

    func testQuoteAndBackslashAreEscaped() {
        XCTAssertEqual(written { $0.string(#"a"b\c"#) }, #""a\"b\\c""#)
    }

    func testSlashDelAndNonASCIIPassThrough() {
        XCTAssertEqual(written { $0.string("a/b\u{7F}é😀") }, "\"a/b\u{7F}é😀\"")
    }

    func testMixedRunsAroundEscapes() {
        XCTAssertEqual(written { $0.string("\nab\u{1}cd\"") }, #""\nab\u0001cd\"""#)
        XCTAssertEqual(written { $0.string("") }, #""""#)
    }

    func testSubstringAndStringOrNull() {
        let s = "xx\"yy"
        XCTAssertEqual(written { $0.string(s.dropFirst(1)) }, #""x\"yy""#)
        XCTAssertEqual(
            written {
                $0.stringOrNull(nil)
                $0.raw(",")
                $0.stringOrNull("q")
            }, #"null,"q""#)
    }

    func testIntegers() {
        XCTAssertEqual(written { $0.int(0) }, "0")
        XCTAssertEqual(written { $0.int(-42) }, "-42")
        XCTAssertEqual(written { $0.int(.min) }, "-9223372036854775808")
        XCTAssertEqual(written { $0.int(.max) }, "9223372036854775807")
        XCTAssertEqual(written { $0.uint(.max) }, "18446744073709551615")
        XCTAssertEqual(written { $0.uint(10) }, "10")
    }

    func testDoublesAreShortestAndValid() throws {
        XCTAssertEqual(written { $0.double(1.5) }, "1.5")
        XCTAssertEqual(written { $0.double(2) }, "2")
        XCTAssertEqual(written { $0.double(-0.0) }, "-0")
        XCTAssertEqual(written { $0.double(0.1) }, "0.1")
        XCTAssertEqual(written { $0.double(.nan) }, "null")
        XCTAssertEqual(written { $0.double(-.infinity) }, "null")
        for d in [1e300, -2.5e-8, .leastNonzeroMagnitude, 1.7976931348623157e308, 9007199254740993.0, 123456.789] {
            let out = written { $0.double(d) }
            XCTAssertEqual(try JSONParser.parse(out).doubleValue, d, out)
        }
    }

    func testRawVariantsAndLiterals() {
        let out = written { w in
            w.raw("{\"a\":")
            w.bool(true)
            w.raw([0x2C, 0x22, 0x62, 0x22, 0x3A])
            [UInt8]("null}".utf8).withUnsafeBytes { w.raw($0) }
        }
        XCTAssertEqual(out, #"{"a":true,"b":null}"#)
    }

    func testValueIsCompactAndKeepsMemberOrder() {
        let v = JSONValue.object(
            JSONObject([
                (key: "z", value: .array([.number("1"), .null, .bool(false)])),
                (key: "a", value: .string("x")),
                (key: "z", value: .object(JSONObject())),
            ]))
        XCTAssertEqual(written { $0.value(v) }, #"{"z":[1,null,false],"a":"x","z":{}}"#)
    }

    func testInvalidNumberTextIsWrittenAsNull() {
        XCTAssertEqual(
            written { $0.value(.array([.number("NaN"), .number("01"), .number("-1.5e3")])) }, "[null,null,-1.5e3]")
    }
}
