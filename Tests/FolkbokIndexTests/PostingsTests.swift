import XCTest

@testable import FolkbokIndex

final class PostingsTests: XCTestCase {
    private func rows(_ p: Postings, _ s: TermSelection) -> [UInt32] {
        var found: [UInt32] = []
        p.forEachRow(s) { found.append($0) }
        return found.sorted()
    }

    /// Model-based: seeded adds (through log flushes, packed-run merges, sealed segments and
    /// their folds into the base, with the stages shrunk) and rebuilds, against a plain list of
    /// (term, row) pairs.
    func test_randomAddsAndRebuilds_yieldExactlyWhatWasAdded() {
        var rng = SeededGenerator(seed: 3)
        let tuning = Postings.Tuning(logLimit: 64, segmentSize: 1_000, segmentLimit: 3)
        var postings = Postings(tuning: tuning)
        var model: [(term: UInt32, row: UInt32)] = []
        func check(_ step: Int) {
            let ids = (0..<Int(rng.next() % 4 + 1)).map { _ in UInt32(1 + rng.next() % 300) }
            let lo = UInt32(1 + rng.next() % 300), hi = lo + UInt32(rng.next() % 40)
            let low = UInt32(rng.next() % 8)
            let selections: [(TermSelection, (UInt32) -> Bool)] = [
                (.ids(IDSet(ids)), { ids.contains($0) }),
                (.range(lo...hi), { (lo...hi).contains($0) }),
                (.range(1...UInt32.max, mask: 7, value: low), { $0 & 7 == low }),
            ]
            for (selection, wanted) in selections {
                let expected = model.filter { wanted($0.term) }.map(\.row).sorted()
                XCTAssertEqual(rows(postings, selection), expected, "step \(step) \(selection)")
                XCTAssertGreaterThanOrEqual(postings.count(selection) + tuning.logLimit, expected.count)
            }
        }
        for step in 1...60_000 {
            let term = UInt32(1 + rng.next() % 300), row = UInt32(rng.next() % 5_000)
            postings.add(term, row: row)
            model.append((term, row))
            if step % 1_979 == 0 { check(step) }
            if step % 25_000 == 0 {
                let rowTerms = (0..<5_000).map { _ in rng.next() % 5 == 0 ? 0 : UInt32(1 + rng.next() % 300) }
                postings.rebuild(count: rowTerms.count) { rowTerms[$0] }
                model = rowTerms.enumerated().filter { $0.element != 0 }.map {
                    (term: $0.element, row: UInt32($0.offset))
                }
                check(step)
            }
        }
        var entries = 0
        postings.forEachEntry { _, _ in entries += 1 }
        XCTAssertEqual(entries, model.count)
        XCTAssertEqual(postings.entryCount, model.count)
    }

    func test_rebuild_isExactAndAscending_staleCountResets() {
        var postings = Postings()
        for row in 0..<10 { postings.add(7, row: UInt32(row)) }
        postings.addStale(9_000)
        XCTAssertTrue(postings.needsRebuild)
        let terms: [UInt32] = [5, 0, 5, 9, 5]
        postings.rebuild(count: terms.count) { terms[$0] }
        XCTAssertFalse(postings.needsRebuild)
        XCTAssertEqual(postings.base.terms, [5, 9])
        var fives: [UInt32] = []
        postings.forEachRow(.ids(IDSet([5]))) { fives.append($0) }
        XCTAssertEqual(fives, [0, 2, 4])
        XCTAssertEqual(rows(postings, .ids(IDSet([7]))), [])
    }

    func test_radixSort_sortsByHighHalfStably() {
        var rng = SeededGenerator(seed: 8)
        var values = (0..<20_000).map { UInt64(rng.next() % 5_000) << 32 | UInt64($0) }
        RadixSort.sortByHighHalf(&values, significantBits: 13)
        XCTAssertEqual(values, values.sorted())
    }
}
