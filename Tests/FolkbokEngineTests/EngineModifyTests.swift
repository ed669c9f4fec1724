import FolkbokModel
import FolkbokSync
import Synchronization
import XCTest

@testable import FolkbokEngine

/// Read-modify-writes overlap in the log (the lock is not held across the sync) yet behave as
/// if they ran one after another.
final class EngineModifyTests: XCTestCase {
    static let counterID = Identity(kind: .personnummer, value: "195001011000")

    /// 200 concurrent increments of one counter (kept in the given name): none is lost, and the
    /// versions they answer are distinct.
    func test_concurrentIncrements_loseNothing() async throws {
        let engine = Engine(shardCount: 4, log: FakeLog())
        let key = IdentityKey(Self.counterID)!
        _ = try await engine.commit([
            .upsert(key, PersonRecord(id: Self.counterID, name: PersonName(given: "0"), region: "01"))
        ])
        let versions = await withTaskGroup(of: UInt64.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    try! await engine.modify(reading: [key]) { records in
                        var record = records[0]!
                        record.name.given = String(Int(record.name.given!)! + 1)
                        return [.upsert(key, record)]
                    }.lsn
                }
            }
            var all: [UInt64] = []
            for await v in group { all.append(v) }
            return all
        }
        XCTAssertEqual(Set(versions).count, 200)
        let final = await engine.records(for: [key])[0]
        XCTAssertEqual(final?.name.given, "200")
    }

    /// 100 concurrent NRID assignments and 100 concurrent local registrations: no NRID, serial
    /// or local value is handed out twice while earlier ones are still in flight.
    func test_concurrentReserveIdentities_areAllDistinct() async throws {
        let engine = Engine(shardCount: 4, log: FakeLog())
        let birth = CivilDate(year: 1979, month: 8, day: 14)!
        let keys = await withTaskGroup(of: IdentityKey?.self) { group in
            for i in 0..<200 {
                group.addTask {
                    var made: IdentityKey?
                    _ = try? await engine.modify(reading: []) { _ in
                        if i % 2 == 0 {
                            let (id, key) = engine.reserves.freeNationalReserve(birthDate: birth, sex: .female)!
                            made = key
                            return [
                                .upsert(
                                    key,
                                    PersonRecord(
                                        id: id, birthDate: birth, sex: .female, region: "01", reserve: ReserveState()))
                            ]
                        }
                        let value = "AKUT-\(i / 2 % 10)"
                        guard engine.reserves.localKey(issuer: "01", value: value) == nil else { return [] }
                        let key = IdentityKey.localReserve(serial: engine.reserves.nextLocalSerial())
                        made = key
                        let id = Identity(kind: .reserve, value: value, issuer: "01")
                        return [.upsert(key, PersonRecord(id: id, region: "01", reserve: ReserveState()))]
                    }
                    return made
                }
            }
            var all: [IdentityKey] = []
            for await key in group { if let key { all.append(key) } }
            return all
        }
        XCTAssertEqual(keys.count, 100 + 10, "every NRID, and one local identity per distinct value")
        XCTAssertEqual(Set(keys.map(\.raw)).count, keys.count, "no key handed out twice")
        let stored = await engine.records(for: keys)
        XCTAssertEqual(stored.compactMap { $0 }.count, keys.count)
    }

    /// A change in flight is not visible to readers until it is durable.
    func test_readersSeeAChangeOnlyOnceDurable() async throws {
        let gate = GatedLog()
        let engine = Engine(shardCount: 2, log: gate)
        let key = IdentityKey(Self.counterID)!
        async let written = Self.writeNew(engine, key)
        while gate.waiting.withLock({ $0 }) == 0 { await Task.yield() }
        let before = await engine.records(for: [key])[0]
        XCTAssertNil(before, "not durable yet")
        gate.open()
        _ = try await written
        let after = await engine.records(for: [key])[0]
        XCTAssertEqual(after?.name.given, "new")
    }
}

extension EngineModifyTests {
    /// A read-modify-write of 5,000 records (an import's batch is 32,768) leaves the records in
    /// the shards and gives back the in-flight table's room once it is empty.
    func test_largeModify_givesBackTheInFlightTablesRoom() async throws {
        let engine = Engine(shardCount: 4, log: FakeLog())
        let ids = (0..<5_000).map { Identity(kind: .personnummer, value: String(195_001_011_000 + $0)) }
        let keys = ids.map { IdentityKey($0)! }
        let summary = try await engine.modify(reading: keys) { records in
            XCTAssertTrue(records.allSatisfy { $0 == nil })
            return zip(keys, ids).map {
                .upsert($0, PersonRecord(id: $1, name: PersonName(given: "Åsa"), region: "01"))
            }
        }
        XCTAssertEqual(summary.inserted, 5_000)
        XCTAssertEqual(engine.inFlight.withLock { $0.count }, 0)
        XCTAssertLessThanOrEqual(engine.inFlight.withLock { $0.capacity }, Engine.inFlightCapacityKept)
        let read = await engine.records(for: keys)
        XCTAssertEqual(read.map { $0?.name.given }, Array(repeating: "Åsa", count: 5_000))
    }

    static func writeNew(_ engine: Engine, _ key: IdentityKey) async throws -> CommitSummary {
        try await engine.modify(reading: [key]) { _ in
            [.upsert(key, PersonRecord(id: counterID, name: PersonName(given: "new"), region: "01"))]
        }
    }
}

/// A log whose entries become durable only when `open` is called.
final class GatedLog: CommitLog {
    let waiting = Locked(0)
    let released = Locked(false)

    struct Wait: DurabilityWait {
        let log: GatedLog
        func durable() async throws {
            log.waiting.withLock { $0 += 1 }
            while !log.released.withLock({ $0 }) { try await Task.sleep(nanoseconds: 1_000_000) }
        }
    }

    func enqueue(_ mutations: [Mutation], firstLSN: UInt64) -> any DurabilityWait { Wait(log: self) }
    func open() { released.withLock { $0 = true } }
    func resume() async throws -> UInt64 { throw FakeLog.NotResumable() }
}
