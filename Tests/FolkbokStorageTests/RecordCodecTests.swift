import FolkbokDemo
import FolkbokModel
import XCTest

@testable import FolkbokStorage

final class RecordCodecTests: XCTestCase {
    private func roundTrip(_ m: Mutation, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(try RecordCodec.decode(RecordCodec.encode(m)), m, file: file, line: line)
    }

    func testRecordWithEveryOptionalFieldNilRoundTrips() {
        roundTrip(.upsert(IdentityKey(Samples.minimal.id)!, Samples.minimal))
    }

    func testRecordWithEveryFieldSetAndUnicodeTextRoundTrips() {
        roundTrip(.upsert(IdentityKey(raw: 42), Samples.full))
    }

    func testRemoveRoundTripsInNineBytes() {
        let m = Mutation.remove(IdentityKey(raw: 0xDEAD_BEEF_0123))
        XCTAssertEqual(RecordCodec.encode(m).count, 9)
        roundTrip(m)
    }

    func testThousandVariedRecordsRoundTrip() {
        for (key, record) in Samples.records(1000, seed: 99) { roundTrip(.upsert(key, record)) }
    }

    /// An import's payloads are encoded before their LSN is known and numbered later: the
    /// bytes must be those of the numbered record, whatever its shape (details, reserve
    /// parts, history follow the version field).
    func testPreEncodedUpsertNumberedLaterEqualsTheNumberedEncoding() {
        var records = Samples.records(300, seed: 7)
        records.append((IdentityKey(raw: 42), Samples.full))
        records.append((IdentityKey(Samples.minimal.id)!, Samples.minimal))
        for i in 0..<30 {
            var detailed = Samples.full
            detailed.details = P4Samples.details(i * 3)
            records.append((IdentityKey(raw: 100 + UInt64(i)), detailed))
        }
        for (i, (key, record)) in records.enumerated() {
            var ahead = PreEncodedUpsert(key, record)
            let version = UInt64(i) * 0x0101_0101 + 1
            ahead.setVersion(version)
            var numbered = record
            numbered.version = version
            XCTAssertEqual(ahead.bytes, RecordCodec.encode(.upsert(key, numbered)))
        }
    }

    func testEveryProperPrefixIsRejectedAsTruncated() {
        let bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 1), Samples.full))
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try RecordCodec.decode(Array(bytes[..<n])), "prefix \(n)")
        }
    }

    func testTrailingBytesAreRejected() {
        let bytes = RecordCodec.encode(.remove(IdentityKey(raw: 1))) + [0]
        XCTAssertThrowsError(try RecordCodec.decode(bytes)) { error in
            XCTAssertEqual((error as? CodecError)?.problem, .trailingBytes)
        }
    }

    func testUnknownTagIsRejected() {
        var bytes = RecordCodec.encode(.remove(IdentityKey(raw: 1)))
        bytes[0] = 9
        XCTAssertThrowsError(try RecordCodec.decode(bytes)) { error in
            XCTAssertEqual(error as? CodecError, CodecError(.invalidValue, field: "tag", offset: 0, format: "mutation"))
        }
    }

    func testInvalidUTF8IsRejectedWithoutQuotingTheText() {
        var r = Samples.minimal
        r.name.surname = "Secretsson"
        var bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 1), r))
        let at = bytes.firstIndex(of: UInt8(ascii: "S"))!
        bytes[at + 1] = 0xFF
        XCTAssertThrowsError(try RecordCodec.decode(bytes)) { error in
            XCTAssertEqual((error as? CodecError)?.problem, .invalidUTF8)
            XCTAssertFalse("\(error)".contains("ecretsson"))
        }
    }

    func testDeregistrationReasonCodesAreFrozen() {
        let expected: [DeregistrationReason: UInt8] = [.UV: 1, .GN: 2, .AN: 3, .AS: 4, .GS: 5, .OB: 6, .TA: 7]
        for (reason, code) in expected {
            XCTAssertEqual(CodecTables.code(reason), code)
            XCTAssertEqual(CodecTables.reason(code), .some(reason))
        }
        XCTAssertEqual(CodecTables.code(nil as DeregistrationReason?), 0)
        XCTAssertTrue(CodecTables.reason(8) == nil)
    }

    func testMinimalRecordLayoutIsFrozen() {
        let bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 0x0102), Samples.minimal))
        let expected: [UInt8] =
            [
                1, 0x02, 0x01, 0, 0, 0, 0, 0, 0,  // tag, key
                1, 13,
            ] + Array("190001010006".utf8) + [
                0,  // id
                0, 0, 0, 0,  // names
                0, 0, 0, 0, 0,  // birth date, sex
                0, 0, 0, 0, 0,  // addresses, foreign, county, municipality
                0, 0, 0, 0, 0, 0, 0, 0,  // protection, test, state, status date, reason
                0, 0, 0,  // region, contact, reserve links
                0, 0, 0, 0, 0, 0, 0, 0,
            ]  // version
        XCTAssertEqual(bytes, expected)
    }
}
