import FolkbokModel
import Foundation
import XCTest

@testable import FolkbokAudit

/// Format version 2 of the access-log entry (the subject statistics count) and the golden
/// entries of both versions, which must keep decoding exactly. Regenerate only with
/// FOLKBOK_WRITE_FIXTURES=1 when the format changes.
final class AuditSubjectTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Snapshots/fixtures").path
    static let person = Identity(kind: .personnummer, value: "191212121212")
    static let full = AuditEntry(
        seq: 7, time: 1_763_900_000_000_000, customer: "SE2321000016-0001", user: "nurse1", purpose: "care",
        contract: "normal",
        method: "person.get", profile: "P2", person: person, resolved: person, outcome: .full,
        subject: AuditSubject(birthDate: CivilDate(year: 1912, month: 12, day: 12), sex: .male))

    func testSubjectRoundTrips_andIsDroppedUnlessFull() throws {
        XCTAssertEqual(
            try AuditCodec.decode(AuditCodec.encode(Self.full, previousHash: AuditCodec.genesis).payload).entry,
            Self.full)
        var unknown = Self.full
        unknown.subject = AuditSubject(birthDate: nil, sex: nil)
        XCTAssertEqual(
            try AuditCodec.decode(AuditCodec.encode(unknown, previousHash: AuditCodec.genesis).payload).entry, unknown)
        let limited = AuditEntry(
            time: 1, customer: "c", user: nil, purpose: nil, contract: nil, method: "person.get", profile: nil,
            person: nil, resolved: nil, outcome: .limited, subject: Self.full.subject)
        XCTAssertNil(limited.subject, "a limited disclosure must not let statistics say more than the caller saw")
    }

    func testSubjectOnANonFullEntry_isRejected() {
        var bytes = AuditCodec.encodeEntry(Self.full)
        let outcomeAt = bytes.count - 7
        XCTAssertEqual(bytes[outcomeAt], AuditOutcome.full.rawValue)
        bytes[outcomeAt] = AuditOutcome.limited.rawValue
        XCTAssertThrowsError(try AuditCodec.decode(bytes + AuditCodec.genesis))
    }

    func testBadSubjectCodes_areRejected() {
        let good = AuditCodec.encodeEntry(Self.full)
        for (offset, value) in [(6, UInt8(2)), (1, UInt8(3))] {
            var bytes = good
            bytes[bytes.count - offset] = value
            XCTAssertThrowsError(try AuditCodec.decode(bytes + AuditCodec.genesis), "offset \(offset)")
        }
    }

    /// Encodes the fixtures again and compares them with the committed bytes (or, with
    /// FOLKBOK_WRITE_FIXTURES=1, writes them over the committed ones).
    func testFixtures_areWhatTodaysEncoderWrites() throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        var v1 = Self.full
        v1.subject = nil
        let files = [
            ("audit-entry-v1.bin", AuditCodec.encodeEntry(v1, version: 1) + AuditCodec.genesis),
            ("audit-entry-v2.bin", AuditCodec.encodeEntry(Self.full) + AuditCodec.genesis),
        ]
        for (name, bytes) in files {
            let url = URL(fileURLWithPath: Self.fixtures + "/" + name)
            if regenerate {
                try Data(bytes).write(to: url)
            } else {
                XCTAssertEqual(try [UInt8](Data(contentsOf: url)), bytes, name)
            }
        }
    }

    func testVersion1Fixture_decodesWithoutSubject() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/audit-entry-v1.bin")))
        XCTAssertEqual(bytes.first, 1)
        var expected = Self.full
        expected.subject = nil
        XCTAssertEqual(try AuditCodec.decode(bytes).entry, expected)
    }

    func testVersion2Fixture_decodesWithSubject() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/audit-entry-v2.bin")))
        XCTAssertEqual(bytes.first, 2)
        XCTAssertEqual(try AuditCodec.decode(bytes).entry, Self.full)
    }
}
