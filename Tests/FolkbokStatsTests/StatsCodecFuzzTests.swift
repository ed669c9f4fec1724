import XCTest

@testable import FolkbokStats

/// Inputs `fuzz-stats` (Fuzz/, RELIABILITY.md) stopped on, kept so their property stays true.
final class StatsCodecFuzzTests: XCTestCase {
    /// Two sessions for the empty customer string and another, hours 9 and 3400, a customer id
    /// in a non-canonical two-byte varint and an unused string. Its re-encoding may differ in
    /// size (`CounterStore.forEachSession` walks dictionaries, so the sessions, and the varint
    /// lengths of their hour differences, come out in hash order), which is
    /// what the fuzzer first flagged; the counts must not.
    func test_fuzzFinding_sessionsOfEmptyCustomer_reencodeToTheSameCounts() throws {
        let body: [UInt8] = [
            0x03, 0x00, 0x03, 0x02, 0x01, 0x01, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x12, 0x03, 0x03, 0x81,
            0x04, 0xFF, 0x35, 0xFE, 0x34, 0x81, 0x00, 0x03, 0x80, 0xA3, 0x06, 0x00,
        ]
        let decoded = try StatsCounters(decoding: StatsCodec.seal(body, kind: .counters))
        let again = try StatsCounters(decoding: decoded.encoded())
        XCTAssertEqual(again.lookupCounts(), decoded.lookupCounts())
        XCTAssertEqual(again.sessionCounts(), decoded.sessionCounts())
        XCTAssertEqual(decoded.sessionCounts().values.map(\.count).sorted(), [513, 102_784])
    }
}
