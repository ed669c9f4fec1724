import FolkbokStorage
import XCTest

final class CRC32CTests: XCTestCase {
    func testRFC3720VectorsMatch() {
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }), 0x113F_DB5C)
    }

    func testCheckVectorOf123456789() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    func testEmptyInputIsZero() {
        XCTAssertEqual(CRC32C.checksum([]), 0)
    }

    func testSeedContinuesARunningChecksumAtEverySplitPoint() {
        var rng = SeededGenerator(seed: 7)
        let bytes = (0..<257).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            let first = CRC32C.checksum(Array(bytes[..<split]))
            XCTAssertEqual(CRC32C.checksum(Array(bytes[split...]), seed: first), whole, "split \(split)")
        }
    }

    func testEveryUnalignedStartGivesTheSameChecksum() {
        let payload = Array("the quick brown fox jumps over the lazy dog, repeatedly".utf8)
        let expected = CRC32C.checksum(payload)
        for pad in 0..<8 {
            let padded = [UInt8](repeating: 0xAA, count: pad) + payload
            let crc = padded.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[pad...])) }
            XCTAssertEqual(crc, expected, "offset \(pad)")
        }
    }
}
