import FolkbokJSON
import XCTest

/// SplitMix64: a tiny deterministic generator so random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func assertAccepts(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try JSONParser.parse(bytes)
    } catch {
        XCTFail("\(name) should parse, got \(error.message) at \(error.offset)", file: file, line: line)
    }
}

func assertRejects(_ bytes: [UInt8], _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    do {
        let v = try JSONParser.parse(bytes)
        XCTFail("\(name) should be rejected, parsed \(v)", file: file, line: line)
    } catch {
        XCTAssertTrue(
            error.offset >= 0 && error.offset <= bytes.count, "\(name): offset out of range", file: file, line: line)
    }
}

func parsed(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue? {
    do {
        return try JSONParser.parse(text)
    } catch {
        XCTFail("parse failed: \(error.message) at \(error.offset)", file: file, line: line)
        return nil
    }
}

func written(_ body: (inout JSONWriter) -> Void) -> String {
    var w = JSONWriter()
    body(&w)
    return String(decoding: w.bytes, as: UTF8.self)
}
