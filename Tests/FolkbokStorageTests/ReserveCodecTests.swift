import FolkbokModel
import XCTest

@testable import FolkbokStorage

/// The reserve parts of the record codec (tag 3) and the snapshot's `reserves` section.
final class ReserveCodecTests: XCTestCase {
    static let person = Identity(kind: .personnummer, value: "191212121212")
    static let nrid = Identity(kind: .reserve, value: "22790814AA01", issuer: "national")
    static let local = Identity(kind: .reserve, value: "AKUT-1", issuer: "01")
    static let state = ReserveState(
        linkedTo: person,
        history: [
            ReserveLink(
                to: Identity(kind: .personnummer, value: "190001010006"), linkedAt: 1_700_000_000_000_000,
                unlinkedAt: 1_700_000_100_000_000),
            ReserveLink(to: person, linkedAt: 1_700_000_200_000_000),
        ])

    func testReserveUpsertRoundTrips_andPlainUpsertKeepsItsTag() throws {
        var record = PersonRecord(id: Self.nrid, name: PersonName(surname: "Okänd"), reserve: Self.state, version: 9)
        let bytes = RecordCodec.encode(.upsert(IdentityKey(Self.nrid)!, record))
        XCTAssertEqual(bytes[0], 3)
        XCTAssertEqual(try RecordCodec.decode(bytes), .upsert(IdentityKey(Self.nrid)!, record))
        record.reserve = ReserveState()
        XCTAssertEqual(
            try RecordCodec.decode(RecordCodec.encode(.upsert(IdentityKey(raw: 5), record))),
            .upsert(IdentityKey(raw: 5), record))
        XCTAssertEqual(
            RecordCodec.encode(.upsert(IdentityKey(raw: 5), Samples.minimal))[0], 1,
            "records without reserve state keep tag 1")
    }

    func testInconsistentLinkStateIsRejected() {
        let broken = ReserveState(linkedTo: nil, history: [ReserveLink(to: Self.person, linkedAt: 1)])
        let bytes = RecordCodec.encode(.upsert(IdentityKey(raw: 5), PersonRecord(id: Self.nrid, reserve: broken)))
        XCTAssertThrowsError(try RecordCodec.decode(bytes))
    }

    func testSectionRoundTrips_inKeyOrder() throws {
        let entries = [
            (key: IdentityKey.localReserve(serial: 2), id: Self.local, state: ReserveState()),
            (key: IdentityKey(Self.nrid)!, id: Self.nrid, state: Self.state),
        ]
        let back = try ReserveSection.decode(ReserveSection.encode(entries))
        XCTAssertEqual(back.map(\.key), entries.map(\.key).sorted())
        XCTAssertEqual(back.map(\.id), [Self.nrid, Self.local])
        XCTAssertEqual(back.map(\.state), [Self.state, ReserveState()])
    }

    func testSectionRejectsEveryTruncationAndUnknownVersion() {
        let bytes = ReserveSection.encode([(key: IdentityKey(Self.nrid)!, id: Self.nrid, state: Self.state)])
        for n in 0..<bytes.count { XCTAssertThrowsError(try ReserveSection.decode(Array(bytes[..<n])), "prefix \(n)") }
        var other = bytes
        other[0] = 2
        XCTAssertThrowsError(try ReserveSection.decode(other))
        XCTAssertThrowsError(try ReserveSection.decode(bytes + [0]))
    }
}
