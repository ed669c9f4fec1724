import FolkbokCrypto
import XCTest

/// SHA-256 against the NIST FIPS 180-4 example vectors, and incremental = one-shot.
final class SHA256Tests: XCTestCase {
    private func digest(_ text: String) -> String { Hex.encode(SHA256.hash(Array(text.utf8))) }

    func testEmptyMessageMatchesNISTVector() {
        XCTAssertEqual(digest(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testAbcMatchesNISTVector() {
        XCTAssertEqual(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func test448BitMessageMatchesNISTVector() {
        XCTAssertEqual(
            digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func test896BitMessageMatchesNISTVector() {
        let message =
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        XCTAssertEqual(digest(message), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    }

    func testOneMillionAMatchesNISTVector() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        XCTAssertEqual(
            Hex.encode(SHA256.hash(message)), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testRawBufferOverloadEqualsArrayOverload() {
        let message = Array("abc".utf8)
        XCTAssertEqual(message.withUnsafeBytes { SHA256.hash($0) }, SHA256.hash(message))
    }

    func testIncrementalUpdateSplitAtEveryOffsetEqualsOneShot() {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let expected = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256Hasher()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            XCTAssertEqual(hasher.finalize(), expected, "split at \(split)")
        }
    }

    func testIncrementalByteAtATimeEqualsOneShotAcrossPaddingBoundaries() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
            let message = [UInt8](repeating: 0x61, count: length)
            var hasher = SHA256Hasher()
            for byte in message { hasher.update([byte]) }
            XCTAssertEqual(hasher.finalize(), SHA256.hash(message), "length \(length)")
        }
    }
}
