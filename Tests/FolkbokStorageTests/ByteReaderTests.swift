import FolkbokStorage
import XCTest

/// The one byte reader keeps each format's varint limits: none is loosened by sharing it.
final class ByteReaderTests: XCTestCase {
    private func varint(_ bytes: [UInt8], _ format: ByteFormat) -> Result<UInt64, CodecError> {
        bytes.withUnsafeBytes { raw in
            var r = ByteReader(raw, format)
            return Result { () throws(CodecError) -> UInt64 in try r.varint64("v") }
        }
    }

    private func encoded(_ value: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.appendVarint(value)
        return out
    }

    func testAuditVarintsStopAtInt32Max() {
        XCTAssertEqual(try varint(encoded(UInt64(Int32.max)), .auditEntry).get(), UInt64(Int32.max))
        XCTAssertEqual(
            varint(encoded(UInt64(Int32.max) + 1), .auditEntry),
            .failure(CodecError(.invalidValue, field: "v", offset: 0, format: "audit entry")))
        XCTAssertEqual(try varint(encoded(UInt64(Int32.max) + 1), .mutation).get(), UInt64(Int32.max) + 1)
    }

    func testMutationVarintsStopBelowTwoToThe63() {
        XCTAssertEqual(try varint(encoded(UInt64(Int.max)), .mutation).get(), UInt64(Int.max))
        // 2⁶³ takes ten bytes: one more than a mutation's varint may have.
        XCTAssertEqual(
            varint(encoded(UInt64(Int.max) + 1), .mutation),
            .failure(CodecError(.invalidValue, field: "v", offset: 0, format: "mutation")))
        XCTAssertEqual(try varint(encoded(UInt64.max), .statistics).get(), UInt64.max)
    }

    func testStatisticsVarintsRefuseAnEleventhByteAndBitsPast64() {
        XCTAssertEqual(try varint(encoded(UInt64.max), .statistics).get(), UInt64.max)
        let overflowing: [UInt8] = Array(repeating: 0xFF, count: 9) + [0x02]
        XCTAssertEqual(try? varint(overflowing, .statistics).get(), nil)
        let eleven: [UInt8] = Array(repeating: 0x80, count: 10) + [0x00]
        XCTAssertEqual(try? varint(eleven, .statistics).get(), nil)
        XCTAssertEqual(
            varint([0x80], .statistics), .failure(CodecError(.truncated, field: "v", offset: 1, format: "statistics")))
    }

    func testStringsRefuseInvalidUTF8AndTruncation() throws {
        let bad: [UInt8] = [3, 0xC3, 0x28]
        let short: [UInt8] = [5, 0x41]
        for (bytes, problem) in [(bad, CodecError.Problem.invalidUTF8), (short, .truncated)] {
            try bytes.withUnsafeBytes { raw in
                var r = ByteReader(raw, .mutation)
                XCTAssertThrowsError(try r.string("s")) { XCTAssertEqual(($0 as? CodecError)?.problem, problem) }
            }
        }
    }
}
