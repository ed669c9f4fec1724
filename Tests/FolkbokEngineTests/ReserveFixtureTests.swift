import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokEngine

/// Golden files for reserve identities: a version 2 snapshot with a `reserves` section and one
/// encoded reserve upsert (record codec tag 3, as the log holds it). They must keep loading
/// exactly so. Regenerate only with FOLKBOK_WRITE_FIXTURES=1 when the format changes.
final class ReserveFixtureTests: XCTestCase {
    static let fixtures = SnapshotV2FixtureTests.fixtures
    static let person = Identity(kind: .personnummer, value: "191212121212")
    static let nrid = Identity(kind: .reserve, value: "22790814AA01", issuer: "national")
    static let local = Identity(kind: .reserve, value: "AKUT-1", issuer: "01")
    static let linkedState = ReserveState(
        linkedTo: person, history: [ReserveLink(to: person, linkedAt: 1_763_900_000_000_000)])

    /// A person, an NRID linked to it, and an unlinked local reserve identity.
    static let records: [(IdentityKey, PersonRecord)] = [
        (
            IdentityKey(person)!,
            PersonRecord(
                id: person, name: PersonName(given: "Tolvan", surname: "Tolvansson"), region: "01",
                reserveLinks: [nrid], version: 3)
        ),
        (
            IdentityKey(nrid)!,
            PersonRecord(
                id: nrid, name: PersonName(surname: "Okänd"), birthDate: CivilDate(year: 1979, month: 8, day: 14),
                sex: .female, region: "01", reserve: linkedState, version: 4)
        ),
        (
            IdentityKey.localReserve(serial: 1),
            PersonRecord(
                id: local, name: PersonName(given: "Kalle"), region: "01",
                reserve: ReserveState(), version: 5)
        ),
    ]

    static func stores(shardCount: Int) -> [PersonStore] {
        var stores = [PersonStore](repeating: PersonStore(), count: shardCount)
        for (key, record) in records { stores[Engine.shardIndex(key, shardCount: shardCount)].upsert(record, key: key) }
        return stores
    }

    /// Writes the reserve fixtures again (into a scratch directory, or over the committed ones
    /// with FOLKBOK_WRITE_FIXTURES=1) and compares them with the committed bytes.
    func testFixtures_areWhatTodaysWritersWrite() throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        let work = NSTemporaryDirectory() + "folkbok-reserve-fixture-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let info = try Persistence.writeSnapshot(
            directory: work, lsn: 5, stores: Self.stores(shardCount: 2), fs: RealFileSystem())
        let dir = regenerate ? Self.fixtures : work
        try Data(contentsOf: URL(fileURLWithPath: info.path)).write(
            to: URL(fileURLWithPath: dir + "/v2-snapshot-reserves.fbsnap"))
        let (key, record) = Self.records[1]
        try Data(RecordCodec.encode(.upsert(key, record))).write(
            to: URL(fileURLWithPath: dir + "/record-reserve-upsert.bin"))
        for name in ["v2-snapshot-reserves.fbsnap", "record-reserve-upsert.bin"] where !regenerate {
            XCTAssertEqual(
                try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)),
                try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name)), name)
        }
    }

    func testReserveSnapshotFixtureLoads_intoAnyShardCount() throws {
        for shardCount in [2, 3] {
            let (info, stores) = try Persistence.loadSnapshot(
                path: Self.fixtures + "/v2-snapshot-reserves.fbsnap", fs: RealFileSystem(), shardCount: shardCount)
            XCTAssertEqual(info.version, 2)
            XCTAssertEqual(Set(info.sections.keys), [ReserveSection.name])
            for (key, record) in Self.records {
                XCTAssertEqual(
                    stores[Engine.shardIndex(key, shardCount: shardCount)].record(for: key), record,
                    "\(shardCount) shards")
            }
        }
        XCTAssertNoThrow(
            try Persistence.verifySnapshot(path: Self.fixtures + "/v2-snapshot-reserves.fbsnap", fs: RealFileSystem())
                .get())
    }

    func testReserveRecordFixtureDecodes() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/record-reserve-upsert.bin")))
        let (key, record) = Self.records[1]
        XCTAssertEqual(try RecordCodec.decode(bytes), .upsert(key, record))
    }

    /// The engine's reserve directory is rebuilt from what recovery loaded.
    func testRecoveredEngineKnowsReserves() async throws {
        let engine = Engine(shardCount: 2)
        for (shard, store) in zip(engine.shards, Self.stores(shardCount: 2)) { await shard.install(store) }
        await engine.rebuildReserveDirectory()
        XCTAssertEqual(engine.reserves.linkedKey(of: IdentityKey(Self.nrid)!), IdentityKey(Self.person))
        XCTAssertEqual(engine.reserves.localKey(issuer: "01", value: "AKUT-1"), IdentityKey.localReserve(serial: 1))
        XCTAssertEqual(engine.reserves.nextLocalSerial(), 2)
    }
}
