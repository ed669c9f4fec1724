import XCTest

@testable import FolkbokXML

/// The word-at-a-time steps of the name and text loops (`XMLCharacters.areEightLetters`,
/// `hasTextMarkup`) agree with the byte tests they stand in for, and documents whose names and
/// text runs end at every offset of a word read as they did byte by byte.
final class XMLWordScanTests: XCTestCase {
    private static func isLetter(_ b: UInt8) -> Bool { (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) }
    private static func isTextMarkup(_ b: UInt8) -> Bool { b == 0x3C || b == 0x26 || b == 0x0D || b == 0x5D }

    private func check(_ word: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        word.withUnsafeBufferPointer { p in
            XCTAssertEqual(
                XMLCharacters.areEightLetters(p.baseAddress!), word.allSatisfy(Self.isLetter), "\(word)", file: file,
                line: line)
            XCTAssertEqual(
                XMLCharacters.hasTextMarkup(p.baseAddress!), word.contains(where: Self.isTextMarkup), "\(word)",
                file: file, line: line)
        }
    }

    func test_everyByteAtEveryPosition_agreesWithTheByteTests() {
        for base in [Array("abcdefgh".utf8), Array("ABCDEFGH".utf8), Array("zZaAyYbB".utf8), Array("  text  ".utf8)] {
            check(base)
            for position in 0..<8 {
                for b in 0...255 {
                    var word = base
                    word[position] = UInt8(b)
                    check(word)
                }
            }
        }
    }

    func test_randomWords_agreeWithTheByteTests() {
        var rng = SystemRandomNumberGenerator()
        // Mostly letters and the bytes around the letter ranges, where an off-by-one would show.
        let near: [UInt8] = [
            0x40, 0x41, 0x5A, 0x5B, 0x60, 0x61, 0x7A, 0x7B, 0xC1, 0xDA, 0xE1, 0xFA, 0x3C, 0x26, 0x0D, 0x5D,
        ]
        for _ in 0..<50_000 {
            let word = (0..<8).map { _ -> UInt8 in
                switch UInt8.random(in: 0...3, using: &rng) {
                case 0: near.randomElement(using: &rng)!
                case 1: UInt8.random(in: 0...255, using: &rng)
                default: UInt8.random(in: 0x61...0x7A, using: &rng) & (Bool.random(using: &rng) ? 0xDF : 0xFF)
                }
            }
            check(word)
        }
    }

    func test_namesAndTextOfEveryLength_readTheSameInEveryChunking() throws {
        for length in 1...40 {
            let name = String(String(repeating: "Folkbokforingspost9", count: 3).prefix(length))
            let text = String(repeating: "Hantverkargatan 14 ", count: 3).prefix(length)
            let document =
                "<Root><\(name)>\(text)</\(name)><\(name)\(length % 2 == 0 ? "" : " a='1'")/>ÅÄ<x\(name)é>t&amp;]</x\(name)é></Root>"
            let whole = try readEvents(document).get()
            XCTAssertEqual(whole[1], .start(name, []))
            XCTAssertEqual(whole[4], .start(name, length % 2 == 0 ? [] : [XMLAttribute("a", "1")]))
            XCTAssertEqual(whole[2], .text(String(text)))
            for size in [1, 3, 7, 8, 9, 16, 17] {
                XCTAssertEqual(
                    try readEvents(document, chunkSize: size).get(), whole, "length \(length), chunks of \(size)")
            }
        }
    }

    func test_malformedNamesAfterAWordOfLetters_areTheSameErrors() {
        XCTAssertEqual(
            error("<Root>\n<Abcdefghij\u{01}></Abcdefghij\u{01}></Root>"), XMLError(.forbiddenCharacter, line: 2))
        XCTAssertEqual(error("<Root>\n<Abcdefgh=ij></Abcdefgh=ij></Root>"), XMLError(.malformedTag, line: 2))
        XCTAssertEqual(
            error("<Root>\n<Abcdefghij>text is long]]>x</Abcdefghij></Root>"), XMLError(.cdataEndInText, line: 2))
    }
}
