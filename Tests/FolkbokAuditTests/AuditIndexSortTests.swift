import XCTest

@testable import FolkbokAudit

/// The index's radix sort against a comparison sort (the model), over random pairs.
final class AuditIndexSortTests: XCTestCase {
    private typealias Pair = AuditIndexFile.Pair

    private func model(_ pairs: [Pair]) -> [Pair] {
        // Stable by construction: ties on (key, seq) keep their given order.
        pairs.enumerated().sorted {
            ($0.element.key, $0.element.seq, $0.offset) < ($1.element.key, $1.element.seq, $1.offset)
        }
        .map(\.element)
    }

    private func fields(_ pairs: [Pair]) -> [[UInt64]] { pairs.map { [$0.key, $0.seq, UInt64($0.offset)] } }

    private func randomPairs(count: Int, inSeqOrder: Bool, using rng: inout some RandomNumberGenerator) -> [Pair] {
        // A few customer-like keys repeated often, person-like keys spread over all 64 bits,
        // and keys that differ only in one byte, so every pass and every skip is exercised.
        let customers = (0..<4).map { _ in UInt64.random(in: .min ... .max, using: &rng) }
        var pairs: [Pair] = []
        var seq: UInt64 = 1000
        for i in 0..<count {
            if i % 3 == 0 { seq += UInt64.random(in: 0...2, using: &rng) }
            let key: UInt64
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: key = customers.randomElement(using: &rng)!
            case 1: key = 0xAB00_0000_0000_0000 | UInt64.random(in: 0...3, using: &rng) << 24
            default: key = UInt64.random(in: .min ... .max, using: &rng)
            }
            pairs.append(Pair(key: key, seq: seq, offset: UInt32(i)))
        }
        if !inSeqOrder { pairs.shuffle(using: &rng) }
        return pairs
    }

    func test_radixSort_ordersLikeTheComparisonSort_forPairsInSeqOrderAndShuffled() {
        var rng = SystemRandomNumberGenerator()
        for round in 0..<40 {
            let pairs = randomPairs(
                count: Int.random(in: 0...3000, using: &rng), inSeqOrder: round % 2 == 0, using: &rng)
            let sorted = AuditIndexFile.sortedByKeyAndSeq(pairs)
            if round % 2 == 0 {
                XCTAssertEqual(fields(sorted), fields(model(pairs)), "round \(round)")
            } else {
                // Shuffled input: ties on (key, seq) may come out in any order, the rest may not.
                XCTAssertEqual(
                    sorted.map { [$0.key, $0.seq] }, model(pairs).map { [$0.key, $0.seq] }, "round \(round)")
                XCTAssertEqual(Set(fields(sorted)), Set(fields(pairs)))
            }
        }
    }

    func test_radixSort_keepsEdgeCases() {
        XCTAssertTrue(AuditIndexFile.sortedByKeyAndSeq([]).isEmpty)
        let same = (0..<10).map { Pair(key: 7, seq: 1, offset: UInt32($0)) }
        XCTAssertEqual(AuditIndexFile.sortedByKeyAndSeq(same).map(\.offset), Array(0..<10))
        let extremes = [
            Pair(key: .max, seq: 1, offset: 0), Pair(key: 0, seq: 2, offset: 1), Pair(key: .max, seq: 0, offset: 2),
        ]
        XCTAssertEqual(AuditIndexFile.sortedByKeyAndSeq(extremes).map(\.offset), [1, 2, 0])
    }
}
