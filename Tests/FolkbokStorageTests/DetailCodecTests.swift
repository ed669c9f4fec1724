import FolkbokDemo
import FolkbokModel
import XCTest

@testable import FolkbokStorage

/// Tag 4: records with P4 details or P5 history round-trip, with and without reserve state;
/// records without them keep tags 1 and 3 (old logs and new ones without P4 data are the same
/// bytes), and damaged detail bytes are refused.
final class DetailCodecTests: XCTestCase {
    private func detailed(_ i: Int) -> PersonRecord {
        var r = Samples.full
        r.details = P4Samples.details(i)
        r.history = P4Samples.history(i)
        return r
    }

    func testDetailsAndHistoryRoundTripUnderTagFour() throws {
        var seen = 0
        for i in 0..<200 {
            let r = detailed(i)
            let bytes = RecordCodec.encode(.upsert(IdentityKey(raw: UInt64(i)), r))
            let detailedRecord = r.details != nil || !r.history.isEmpty
            XCTAssertEqual(bytes[0], detailedRecord ? 4 : 1, "record \(i)")
            XCTAssertEqual(try RecordCodec.decode(bytes), .upsert(IdentityKey(raw: UInt64(i)), r), "record \(i)")
            if detailedRecord { seen += 1 }
        }
        XCTAssertGreaterThan(seen, 50)
    }

    func testReserveStateRidesAlongUnderTagFour() throws {
        var r = Samples.full
        r.reserve = ReserveState()
        r.history = P4Samples.history(1)
        let bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 7), r))
        XCTAssertEqual(bytes[0], 4)
        XCTAssertEqual(try RecordCodec.decode(bytes), .upsert(IdentityKey(raw: 7), r))
    }

    func testRecordsWithoutDetailsAreEncodedAsBefore() {
        var r = Samples.full
        let plain = RecordCodec.encode(.upsert(IdentityKey(raw: 1), r))
        XCTAssertEqual(plain[0], 1)
        r.details = nil
        r.history = []
        XCTAssertEqual(RecordCodec.encode(.upsert(IdentityKey(raw: 1), r)), plain)
    }

    func testEveryPrefixOfADetailedRecordIsRefused() throws {
        let r = detailed(6)
        XCTAssertNotNil(r.details)
        let bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 1), r))
        for n in 0..<bytes.count { XCTAssertThrowsError(try RecordCodec.decode(Array(bytes[..<n])), "prefix \(n)") }
    }

    func testUnknownCodesInDetailsAreRefused() throws {
        var r = Samples.minimal
        r.history = [HistoryEntry(value: .municipality("0180"), until: CivilDate(year: 2026, month: 1, day: 1)!)]
        var bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 1), r))
        // The history is last: varint count 1, field code, string, u32 date. Break the field code.
        let fieldAt = bytes.count - 4 - 5 - 1
        XCTAssertEqual(bytes[fieldAt], HistoryField.municipality.code)
        bytes[fieldAt] = 9
        XCTAssertThrowsError(try RecordCodec.decode(bytes))
        bytes[fieldAt] = HistoryField.municipality.code
        bytes[bytes.count - 1] = 0xFF
        XCTAssertThrowsError(try RecordCodec.decode(bytes), "an impossible until date")
    }
}
