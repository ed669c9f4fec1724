import XCTest

@testable import FolkbokStorage

/// The CRC32 instruction path and the slicing-by-8 path agree on every length and seed (the
/// published vectors in `CRC32CTests` run through whichever path this processor uses).
final class CRC32CInstructionTests: XCTestCase {
    func testInstructionAndSoftwareAgree() throws {
        try XCTSkipUnless(CRC32C.usesInstruction, "this processor has no CRC32 instruction")
        var rng = SeededGenerator(seed: 3)
        for length in Array(0..<70) + [255, 4096, 100_003] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let seed = UInt32.random(in: 0...UInt32.max, using: &rng)
            bytes.withUnsafeBytes { raw in
                XCTAssertEqual(CRC32C.checksum(raw, seed: seed), CRC32C.software(raw, seed: seed), "length \(length)")
                XCTAssertEqual(CRC32C.checksum(raw), CRC32C.software(raw, seed: 0), "length \(length)")
            }
        }
    }
}
