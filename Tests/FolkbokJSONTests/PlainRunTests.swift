import XCTest

@testable import FolkbokJSON

/// `PlainRun`'s eight-byte tests against byte-by-byte models, over random buffers rich in the
/// bytes that end a run (quote, backslash, controls, 0x7F/0x80 neighbours, UTF-8 bytes).
final class PlainRunTests: XCTestCase {
    private let alphabet: [UInt8] = [
        0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x41, 0x5B, 0x5C, 0x5D, 0x7A, 0x7E, 0x7F, 0x80, 0x81,
        0xA4, 0xC3, 0xDF, 0xE2, 0xFF,
    ]

    func test_end_matchesTheByteLoop_forRandomBuffersStartsAndEnds() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...40, using: &rng)
            // Mostly plain bytes, so runs of every length occur.
            let bytes = (0..<count).map { _ in
                Bool.random(using: &rng) && Bool.random(using: &rng)
                    ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0x23...0x5B, using: &rng)
            }
            let start = Int.random(in: 0...count, using: &rng)
            let end = Int.random(in: start...count, using: &rng)
            bytes.withUnsafeBufferPointer { b in
                guard let base = b.baseAddress else { return }
                var expected = start
                while expected < end, PlainRun.isPlain(base[expected]) { expected += 1 }
                XCTAssertEqual(PlainRun.end(of: base, from: start, to: end), expected, "\(bytes) \(start)..<\(end)")
            }
        }
    }

    func test_isPlain_isPrintableASCIIButQuoteAndBackslash() {
        for b in UInt8.min...UInt8.max {
            XCTAssertEqual(PlainRun.isPlain(b), (0x20...0x7F).contains(b) && b != 0x22 && b != 0x5C, "\(b)")
        }
    }

    func test_escapeBytes_isNonzeroExactlyWhenAByteNeedsAnEscape() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            let bytes = (0..<8).map { _ in
                Bool.random(using: &rng)
                    ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0x23...0x5B, using: &rng)
            }
            let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            let expected = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            XCTAssertEqual(PlainRun.escapeBytes(word) != 0, expected, "\(bytes)")
        }
    }
}
