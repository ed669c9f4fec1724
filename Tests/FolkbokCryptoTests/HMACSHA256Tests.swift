import FolkbokCrypto
import XCTest

/// HMAC-SHA-256 against RFC 4231 test cases 1–4, 6 and 7 (full 32-byte tags).
final class HMACSHA256Tests: XCTestCase {
    private func tag(_ message: [UInt8], _ key: [UInt8]) -> String {
        Hex.encode(HMACSHA256.authenticate(message, key: key))
    }

    func testRFC4231Case1() {
        XCTAssertEqual(
            tag(Array("Hi There".utf8), [UInt8](repeating: 0x0b, count: 20)),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    func testRFC4231Case2() {
        XCTAssertEqual(
            tag(Array("what do ya want for nothing?".utf8), Array("Jefe".utf8)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testRFC4231Case3() {
        XCTAssertEqual(
            tag([UInt8](repeating: 0xdd, count: 50), [UInt8](repeating: 0xaa, count: 20)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    func testRFC4231Case4() {
        XCTAssertEqual(
            tag([UInt8](repeating: 0xcd, count: 50), Array(1...25)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    func testRFC4231Case6KeyLargerThanBlock() {
        XCTAssertEqual(
            tag(
                Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                [UInt8](repeating: 0xaa, count: 131)),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testRFC4231Case7KeyAndDataLargerThanBlock() {
        let message =
            "This is a test using a larger than block-size key and a larger than block-size data. "
            + "The key needs to be hashed before being used by the HMAC algorithm."
        XCTAssertEqual(
            tag(Array(message.utf8), [UInt8](repeating: 0xaa, count: 131)),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }
}
