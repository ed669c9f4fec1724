import FolkbokIndex
import FolkbokModel
import FolkbokSync
import Synchronization
import XCTest

@testable import FolkbokEngine

/// A log that records what it was given and makes entries durable after a random short delay
/// (or fails from a chosen LSN on).
final class FakeLog: CommitLog {
    let enqueued = Locked<[UInt64]>([])
    let failFrom: UInt64?

    init(failFrom: UInt64? = nil) { self.failFrom = failFrom }

    struct Wait: DurabilityWait {
        let fails: Bool
        func durable() async throws {
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...200_000))
            if fails { throw CancellationError() }
        }
    }

    func enqueue(_ mutations: [Mutation], firstLSN: UInt64) -> any DurabilityWait {
        enqueued.withLock { $0 += (0..<UInt64(mutations.count)).map { firstLSN + $0 } }
        return Wait(fails: failFrom.map { firstLSN + UInt64(mutations.count) - 1 >= $0 } ?? false)
    }

    struct NotResumable: Error {}
    func resume() async throws -> UInt64 { throw NotResumable() }
}

final class EngineCommitTests: XCTestCase {
    static func person(_ n: Int, tag: String) -> Mutation {
        let id = Identity(kind: .personnummer, value: String(195001011000 + UInt64(n)))
        return .upsert(IdentityKey(id)!, PersonRecord(id: id, name: PersonName(given: tag, surname: "S"), region: "01"))
    }

    /// 50 concurrent writers on 20 shared keys: the log sees LSNs in order, and every key ends
    /// with the record of its highest-LSN commit.
    func test_concurrentCommits_applyInLogOrder() async throws {
        let log = FakeLog()
        let engine = Engine(shardCount: 4, log: log)
        let results = await withTaskGroup(of: [(UInt64, Int, String)].self) { group in
            for writer in 0..<50 {
                group.addTask {
                    var mine: [(UInt64, Int, String)] = []
                    for round in 0..<20 {
                        let n = (writer * 7 + round) % 20
                        let tag = "w\(writer)r\(round)"
                        let summary = try! await engine.commit([Self.person(n, tag: tag)])
                        mine.append((summary.lsn, n, tag))
                    }
                    return mine
                }
            }
            var all: [(UInt64, Int, String)] = []
            for await part in group { all += part }
            return all
        }
        XCTAssertEqual(log.enqueued.withLock { $0 }, Array(1...1000))
        XCTAssertEqual(engine.lsn, 1000)
        var newest: [Int: (UInt64, String)] = [:]
        for (lsn, n, tag) in results where lsn > (newest[n]?.0 ?? 0) { newest[n] = (lsn, tag) }
        for (n, (lsn, tag)) in newest {
            guard case .upsert(let key, _) = Self.person(n, tag: "") else { continue }
            let record = await engine.records(for: [key])[0]
            XCTAssertEqual(record?.name.given, tag)
            XCTAssertEqual(record?.version, lsn)
        }
    }

    func test_logFailure_refusesTheWrite_andEveryLaterOne() async throws {
        let engine = Engine(shardCount: 2, log: FakeLog(failFrom: 3))
        _ = try await engine.commit([Self.person(1, tag: "a"), Self.person(2, tag: "b")])
        do {
            _ = try await engine.commit([Self.person(3, tag: "c")])
            XCTFail("a failed log write must not be acknowledged")
        } catch EngineError.readOnly {}
        do {
            _ = try await engine.commit([Self.person(4, tag: "d")])
            XCTFail("failures stick")
        } catch EngineError.readOnly(let reason) {
            XCTAssertTrue(reason.contains("read-only"), reason)
        }
        guard case .upsert(let key, _) = Self.person(3, tag: "") else { return }
        let absent = await engine.records(for: [key])[0]
        XCTAssertNil(absent, "an unacknowledged write is not applied")
        let count = await engine.count()
        XCTAssertEqual(count, 2)
        XCTAssertNotNil(engine.readOnlyReason)
    }

    /// Cuts taken while writers run never contain a change newer than their LSN, and hold
    /// every change up to it.
    func test_snapshotCut_isConsistent() async throws {
        let engine = Engine(shardCount: 4, log: FakeLog())
        let writers = (0..<8).map { writer in
            Task {
                for round in 0..<100 {
                    _ = try? await engine.commit([EngineCommitTests.person(writer * 100 + round, tag: "x")])
                }
            }
        }
        for _ in 0..<20 {
            let (lsn, stores) = await engine.snapshotCut()
            let versions = stores.flatMap { $0.entries.map { $0.1.version } }
            XCTAssertTrue(versions.allSatisfy { $0 <= lsn }, "nothing newer than the cut")
            XCTAssertEqual(versions.count, Int(lsn), "every change up to the cut (each commit adds a new key)")
        }
        for writer in writers { await writer.value }
    }
}
