import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokEngine

/// Golden files for P4 details and P5 history in Snapshots/fixtures/: a version 3 snapshot
/// (store images ending in detail tables, P4 entries by key) and a tag-4 log record. They must
/// keep loading exactly so; the snapshot was written by the version 3 writer and is never
/// regenerated (SnapshotV4FixtureTests has today's).
final class SnapshotV3FixtureTests: XCTestCase {
    static let fixtures = SnapshotV2FixtureTests.fixtures

    /// The version 2 fixture records, some with P4 details (every shape, incomplete dates) and
    /// a P5 history of every field.
    static let records: [PersonRecord] = {
        let day = CivilDate(year: 2026, month: 3, day: 4)!
        var records = SnapshotSamples.fixtureRecords
        records[0].details = PersonDetails(
            civilStatus: .init(code: "Ä", date: RegisterDate(iso: "1999-07")),
            citizenships: [.init(country: "SE", date: nil), .init(country: "FI", date: RegisterDate(iso: "1987"))],
            birthPlace: .abroad(place: "Åbo", country: "FI"), immigrationDate: RegisterDate(iso: "1990-06-01"),
            relations: [
                .init(
                    id: .identity(Identity(kind: .personnummer, value: "191212121212")), type: .mother, from: nil,
                    to: nil),
                .init(id: .birthTime("20200101-0123"), type: .child, from: RegisterDate(iso: "2020"), to: nil),
            ],
            referredTo: Identity(kind: .personnummer, value: "194911172296"))
        records[0].history = [
            HistoryEntry(
                value: .address(
                    PostalAddress(careOf: "c/o Ö", street: "Gamla vägen 1", postalCode: "11436", city: "Örebro")),
                until: day),
            HistoryEntry(
                value: .name(PersonName(given: "Märta", callName: nil, middle: nil, surname: "Li")), until: day),
            HistoryEntry(value: .municipality("0180"), until: day),
            HistoryEntry(value: .foreignAddress(ForeignAddress(lines: ["Rue 1", ""], country: "FR")), until: day),
            HistoryEntry(
                value: .specialAddress(PostalAddress(careOf: nil, street: "Box 1", postalCode: nil, city: nil)),
                until: day),
        ]
        records[1].details = PersonDetails(birthPlace: .sweden(county: "01", parish: "Täby"))
        records[2].history = [HistoryEntry(value: .municipality("1480"), until: day)]
        return records
    }()

    /// The tag 4 log record is still what today's encoder writes (log format unchanged); the
    /// version 3 snapshot is no longer written (version 4 replaced it) and is only read.
    func testDetailedRecordFixture_isWhatTodaysEncoderWrites() throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        let r = Self.records[0]
        let encoded = Data(RecordCodec.encode(.upsert(IdentityKey(r.id)!, r)))
        let path = Self.fixtures + "/record-detailed-upsert.bin"
        if regenerate { try encoded.write(to: URL(fileURLWithPath: path)) }
        XCTAssertEqual(encoded, try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testV3FixtureLoadsEveryRecord_intoAnyShardCount() throws {
        try Self.assertLoadsEveryRecord(Self.fixtures + "/v3-snapshot.fbsnap", version: 3)
    }

    /// The snapshot at `path` is of `version`, verifies, and loads `records` into 2 and into 3
    /// shards.
    static func assertLoadsEveryRecord(
        _ path: String, version: UInt32, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        for shardCount in [2, 3] {
            let (info, stores) = try Persistence.loadSnapshot(path: path, fs: RealFileSystem(), shardCount: shardCount)
            XCTAssertEqual(info.version, version, file: file, line: line)
            XCTAssertEqual(info.count, records.count, file: file, line: line)
            for r in records {
                let key = IdentityKey(r.id)!
                XCTAssertEqual(
                    stores[Engine.shardIndex(key, shardCount: shardCount)].record(for: key), r, "\(shardCount) shards",
                    file: file, line: line)
            }
        }
        guard case .success(let info) = Persistence.verifySnapshot(path: path, fs: RealFileSystem()) else {
            return XCTFail("verify", file: file, line: line)
        }
        XCTAssertEqual(info.version, version, file: file, line: line)
    }

    func testDetailedRecordFixtureDecodes() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/record-detailed-upsert.bin")))
        XCTAssertEqual(bytes.first, 4)
        let r = Self.records[0]
        XCTAssertEqual(try RecordCodec.decode(bytes), .upsert(IdentityKey(r.id)!, r))
    }
}
