import FolkbokJSON
import XCTest

final class NumberTests: XCTestCase {
    func testInt64EdgesAndOverflow() {
        XCTAssertEqual(JSONValue.number("9223372036854775807").int64Value, .max)
        XCTAssertEqual(JSONValue.number("-9223372036854775808").int64Value, .min)
        XCTAssertNil(JSONValue.number("9223372036854775808").int64Value)
        XCTAssertNil(JSONValue.number("-9223372036854775809").int64Value)
        XCTAssertNil(JSONValue.number("123123123123123123123123123123").int64Value)
        XCTAssertEqual(JSONValue.number("-0").int64Value, 0)
        XCTAssertEqual(JSONValue.number("7").int64Value, 7)
    }

    func testUInt64EdgesAndOverflow() {
        XCTAssertEqual(JSONValue.number("18446744073709551615").uint64Value, .max)
        XCTAssertNil(JSONValue.number("18446744073709551616").uint64Value)
        XCTAssertNil(JSONValue.number("-1").uint64Value)
        XCTAssertEqual(JSONValue.number("-0").uint64Value, 0)
        XCTAssertEqual(JSONValue.number("0").uint64Value, 0)
    }

    func testFractionAndExponentFormsAreNotIntegers() {
        for text in ["1.0", "1e2", "1E+2", "10e-1", "-0.0"] {
            XCTAssertNil(JSONValue.number(text).int64Value, text)
            XCTAssertNil(JSONValue.number(text).uint64Value, text)
        }
    }

    func testNonNumbersHaveNoNumericValue() {
        XCTAssertNil(JSONValue.string("7").int64Value)
        XCTAssertNil(JSONValue.bool(true).doubleValue)
        XCTAssertNil(JSONValue.null.uint64Value)
    }

    func testExponentFormsParseAndConvertToDouble() throws {
        let cases: [(String, Double)] = [
            ("1e2", 100), ("1E2", 100), ("1e+2", 100), ("1e-2", 0.01), ("-1.5e3", -1500),
            ("0e0", 0), ("123.456e78", 123.456e78), ("2.5E-3", 0.0025),
        ]
        for (text, expected) in cases {
            let value = try JSONParser.parse(text)
            XCTAssertEqual(value, .number(text))
            XCTAssertEqual(value.doubleValue, expected, text)
        }
    }

    func testDoubleOverflowIsNil() {
        XCTAssertNil(JSONValue.number("1e400").doubleValue)
        XCTAssertNil(JSONValue.number("-1e400").doubleValue)
    }
}
