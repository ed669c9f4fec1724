import XCTest

@testable import FolkbokCrypto

/// The SHA extensions' compression against the Swift one: the published vectors both ways, and
/// random messages of every length up to a few blocks, split at random points.
final class SHA256HardwareTests: XCTestCase {
    private func digest(_ message: [UInt8], hardware: Bool, split: Int? = nil) -> [UInt8] {
        var h = SHA256Hasher(hardware: hardware)
        let cut = min(split ?? message.count, message.count)
        h.update(Array(message[..<cut]))
        h.update(Array(message[cut...]))
        return h.finalize()
    }

    func test_bothWays_matchTheNISTVectors_andEachOther() throws {
        try XCTSkipUnless(SHA256Hasher.hardwareAvailable, "this processor has no SHA extensions")
        let vectors = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
        for (text, expected) in vectors {
            XCTAssertEqual(Hex.encode(digest(Array(text.utf8), hardware: true)), expected, text)
            XCTAssertEqual(Hex.encode(digest(Array(text.utf8), hardware: false)), expected, text)
        }
        var seed: UInt64 = 1
        for length in 0..<300 {
            let message = (0..<length).map { _ -> UInt8 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            let split = Int(seed % UInt64(length + 1))
            XCTAssertEqual(
                digest(message, hardware: true, split: split), digest(message, hardware: false), "length \(length)")
        }
    }
}
