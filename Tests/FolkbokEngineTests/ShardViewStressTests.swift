import FolkbokIndex
import FolkbokModel
import Foundation
import Synchronization
import XCTest

@testable import FolkbokEngine

/// Readers on plain threads (as event loops are) read the shards through their views while
/// the engine commits upserts, removes and contact changes and snapshots take copies: no read
/// may ever see a torn or mixed record. Each record carries its generation in every field, so
/// a record put together from two writes shows two generations.
final class ShardViewStressTests: XCTestCase {
    static let keys = 64

    static func identity(_ n: Int) -> Identity {
        Identity(kind: .personnummer, value: String(195001011000 + UInt64(n)))
    }

    /// Person `n` at generation `g`: every field says `g` (the strings grow with it, so rows
    /// point at ever new interned strings and the stores keep growing).
    static func record(_ n: Int, _ g: Int, contact: Bool) -> PersonRecord {
        let id = identity(n)
        return PersonRecord(
            id: id, name: PersonName(given: "G\(g)", callName: nil, middle: nil, surname: "S\(g)"),
            address: PostalAddress(
                careOf: nil, street: "Gata \(g)", postalCode: String(10000 + g % 90000), city: "C\(g)"),
            region: "01",
            contact: contact
                ? ContactDetails(
                    email: "p\(g)@example.se", phone: nil,
                    consent: Consent(source: "s\(g)", date: CivilDate(year: 2026, month: 1, day: 1)!),
                    version: UInt64(g)) : nil)
    }

    /// The generation a record says, or nil when its fields disagree.
    static func generation(of r: PersonRecord) -> Int? {
        guard let given = r.name.given, given.hasPrefix("G"), let g = Int(given.dropFirst()) else { return nil }
        guard r.name.surname == "S\(g)", r.address?.street == "Gata \(g)", r.address?.city == "C\(g)",
            r.address?.postalCode == String(10000 + g % 90000)
        else { return nil }
        if let contact = r.contact {
            guard contact.email == "p\(g)@example.se", contact.consent.source == "s\(g)", contact.version == UInt64(g)
            else { return nil }
        }
        return g
    }

    func test_readersThroughViews_neverSeeATornRecord_whileWritersCommitAndSnapshot() async throws {
        let engine = Engine(shardCount: 2)
        _ = try await engine.commit(
            (0..<Self.keys).map { .upsert(IdentityKey(Self.identity($0))!, Self.record($0, 0, contact: false)) })
        let stop = Atomic<Bool>(false)
        let reads = Atomic<Int>(0), torn = Atomic<Int>(0)
        let keys = (0..<Self.keys).map { IdentityKey(Self.identity($0))! }
        let readers = (0..<2).map { r in
            let thread = Thread {
                var i = r
                while !stop.load(ordering: .relaxed) {
                    let batch = [keys[i % keys.count], keys[(i * 7 + 3) % keys.count]]
                    for record in engine.recordsNow(for: batch) {
                        if let record, Self.generation(of: record) == nil { torn.add(1, ordering: .relaxed) }
                        reads.add(1, ordering: .relaxed)
                    }
                    i &+= 1
                }
            }
            thread.start()
            return thread
        }
        var generation = 1
        let deadline = Date().addingTimeInterval(3)
        while Date() < deadline {
            var batch: [Mutation] = []
            for _ in 0..<Int.random(in: 1...40) {
                let n = Int.random(in: 0..<Self.keys)
                if Int.random(in: 0..<10) == 0 {
                    batch.append(.remove(IdentityKey(Self.identity(n))!))
                } else {
                    batch.append(
                        .upsert(
                            IdentityKey(Self.identity(n))!, Self.record(n, generation, contact: generation % 3 == 0)))
                }
                generation += 1
            }
            _ = try await engine.commit(batch)
            if generation % 50 < 3 { _ = await engine.snapshotCut() }
        }
        stop.store(true, ordering: .relaxed)
        while readers.contains(where: { $0.isExecuting }) { usleep(1000) }
        XCTAssertGreaterThan(reads.load(ordering: .relaxed), 10_000, "the readers ran")
        XCTAssertEqual(torn.load(ordering: .relaxed), 0, "a reader saw a torn or mixed record")
        for (n, record) in engine.recordsNow(for: keys).enumerated() {
            if let record { XCTAssertNotNil(Self.generation(of: record), "key \(n)") }
        }
    }
}
