import FolkbokModel
import XCTest

@testable import FolkbokAudit

/// The writer's cache of encoded callers gives the same payloads as encoding every entry whole.
final class AuditCallerCacheTests: XCTestCase {
    private func payload(_ e: AuditEntry, cache: inout AuditCallerCache) -> [UInt8] {
        var out: [UInt8] = []
        AuditCodec.genesis.withUnsafeBytes { AuditCodec.encode(e, previousHash: $0, into: &out, callers: &cache) }
        return out
    }

    func test_cachedEncoding_equalsTheWholeEncoding_forSharedNewAndFreedCallers() {
        var cache = AuditCallerCache()
        var factory = EntryFactory(seed: 11)
        // Entries that share caller objects (as a connection's do), interleaved with entries
        // whose caller objects are new each time (freed at once, so addresses get reused with
        // other fields): the cache must never answer for a different caller.
        let shared = (0..<600).map { _ in factory.entry(time: 1_704_067_200_000_000) }
        for round in 0..<3000 {
            let e: AuditEntry
            if round % 3 == 0 {
                e = factory.entry(time: 1_704_067_200_000_000 + Int64(round))
            } else {
                e = shared[(round * 7) % shared.count]
            }
            let cached = payload(e, cache: &cache)
            XCTAssertEqual(cached, AuditCodec.encode(e, previousHash: AuditCodec.genesis).payload, "round \(round)")
            XCTAssertEqual(try AuditCodec.decode(cached).entry, e)
        }
    }
}
