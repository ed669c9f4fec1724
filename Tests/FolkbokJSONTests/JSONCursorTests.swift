import FolkbokJSON
import XCTest

/// `JSONCursor` writes the bytes `JSONWriter` writes, whatever the text (its eight-byte fast
/// path must never pass a byte that needs an escape), and a wrong bound traps, never overruns.
final class JSONCursorTests: XCTestCase {
    func test_quoted_matchesTheWriter_forRandomTextsOfEveryLength() {
        var rng = SystemRandomNumberGenerator()
        // Bytes that need escapes and their neighbours, printable ASCII and UTF-8 lead/continuation bytes.
        let alphabet: [UInt8] = [
            0x00, 0x01, 0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D,
            0x41, 0x7A, 0x7F, 0x80, 0xA4, 0xC3, 0xE2, 0xFF,
        ]
        for length in 0..<40 {
            for _ in 0..<200 {
                let text = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
                var expected = JSONWriter()
                text.withUnsafeBufferPointer { expected.stringOrNull(utf8: $0) }
                var actual = JSONWriter()
                actual.raw("x")
                actual.withWindow(reserving: JSONCursor.quotedBound(text.count)) { c in
                    text.withUnsafeBufferPointer { c.quoted($0) }
                }
                XCTAssertEqual(Array(actual.bytes.dropFirst()), expected.bytes, "text \(text)")
            }
        }
    }

    func test_everySingleByteInEveryPositionOfAWord_isEscapedAsTheWriterDoes() {
        for byte in 0...255 {
            for position in 0..<16 {
                var text = [UInt8](repeating: 0x61, count: 16)
                text[position] = UInt8(byte)
                var expected = JSONWriter()
                text.withUnsafeBufferPointer { expected.stringOrNull(utf8: $0) }
                var actual = JSONWriter()
                actual.withWindow(reserving: JSONCursor.quotedBound(16)) { c in
                    text.withUnsafeBufferPointer { c.quoted($0) }
                }
                XCTAssertEqual(actual.bytes, expected.bytes, "byte \(byte) at \(position)")
            }
        }
    }

    func test_everySingleByteInEveryPositionOfAShortTail_isEscapedAsTheWriterDoes() {
        // Lengths whose last bytes go through the padded tail word, with room for it (the
        // window's slack) and without (a window of exactly the bound).
        for length in 1..<16 {
            for byte in 0...255 {
                for position in 0..<length {
                    var text = [UInt8](repeating: 0x61, count: length)
                    text[position] = UInt8(byte)
                    var expected = JSONWriter()
                    text.withUnsafeBufferPointer { expected.stringOrNull(utf8: $0) }
                    for slack in [0, 16] {
                        var actual = JSONWriter()
                        actual.withWindow(reserving: JSONCursor.quotedBound(length) + slack) { c in
                            text.withUnsafeBufferPointer { c.quoted($0) }
                        }
                        XCTAssertEqual(actual.bytes, expected.bytes, "byte \(byte) at \(position) of \(length)")
                    }
                }
            }
        }
    }

    func test_literalsNumbersAndDates_matchTheWriter() {
        var expected = JSONWriter()
        expected.raw("{\"a\":")
        expected.uint(0)
        expected.raw(",\"b\":")
        expected.uint(UInt64.max)
        expected.raw(",\"c\":")
        expected.null()
        expected.bool(true)
        expected.bool(false)
        expected.string("2026-01-09")
        var actual = JSONWriter()
        var kept = 0
        actual.withWindow(reserving: 200) { c in
            c.raw("{\"a\":")
            c.uint(0)
            c.raw(",\"b\":")
            c.uint(UInt64.max)
            c.raw(",\"c\":")
            c.null()
            c.bool(true)
            c.bool(false)
            c.isoDate(year: 2026, month: 1, day: 9)
            kept = c.count
        }
        XCTAssertEqual(actual.bytes, expected.bytes)
        XCTAssertEqual(kept, expected.bytes.count, "only what was written is kept")
    }
}
