import FolkbokAudit
import FolkbokCrypto
import FolkbokModel
import XCTest

/// The entry encoding round-trips and the chain hash is SHA256(previous ‖ entry bytes).
final class AuditCodecTests: XCTestCase {
    private let full = AuditEntry(
        seq: 42, time: -5, customer: "kund-å", user: "u", purpose: "p", contract: "c", method: "person.get",
        profile: "standard", person: Identity(kind: .samordningsnummer, value: "198001610001"),
        resolved: Identity(kind: .reserve, value: "19800101AB1C", issuer: "national"), outcome: .forbidden)

    func testFullEntryRoundTripsWithItsHash() throws {
        let previous = [UInt8](repeating: 7, count: 32)
        let (payload, hash) = AuditCodec.encode(full, previousHash: previous)
        let decoded = try AuditCodec.decode(payload)
        XCTAssertEqual(decoded.entry, full)
        XCTAssertEqual(decoded.hash, hash)
    }

    func testEntryWithEveryOptionalNilRoundTrips() throws {
        let sparse = AuditEntry(
            seq: 1, time: 1_704_067_200_000_000, customer: "", user: nil, purpose: nil, contract: nil, method: "m",
            profile: nil, person: nil, resolved: nil, outcome: nil)
        XCTAssertEqual(
            try AuditCodec.decode(AuditCodec.encode(sparse, previousHash: AuditCodec.genesis).payload).entry, sparse)
    }

    func testEveryOutcomeRoundTrips() throws {
        for outcome in AuditOutcome.allCases {
            var e = full
            e.outcome = outcome
            XCTAssertEqual(
                try AuditCodec.decode(AuditCodec.encode(e, previousHash: AuditCodec.genesis).payload).entry.outcome,
                outcome)
        }
    }

    func testHashIsSHA256OfPreviousHashAndEncodedEntry() {
        let previous = [UInt8](repeating: 1, count: 32)
        let (payload, hash) = AuditCodec.encode(full, previousHash: previous)
        XCTAssertEqual(hash, SHA256.hash(previous + AuditCodec.encodeEntry(full)))
        XCTAssertEqual(Array(payload.suffix(32)), hash)
        XCTAssertTrue(AuditCodec.linkHolds(payload, previous: previous))
        XCTAssertFalse(AuditCodec.linkHolds(payload, previous: AuditCodec.genesis))
    }

    func testTruncatedOrExtendedPayloadDoesNotDecode() {
        let body = AuditCodec.encodeEntry(full)
        for cut in 1..<body.count {
            XCTAssertThrowsError(try AuditCodec.decode(Array(body[..<cut]) + AuditCodec.genesis), "cut at \(cut)")
        }
        XCTAssertThrowsError(try AuditCodec.decode(body + [0] + AuditCodec.genesis))
    }
}
