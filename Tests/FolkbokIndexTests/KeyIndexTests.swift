import XCTest

@testable import FolkbokIndex

final class KeyIndexTests: XCTestCase {
    /// Model-based: the same seeded random operations on the index and on a Dictionary agree.
    func test_randomOperations_matchDictionaryModel() {
        var seed: UInt64 = 42
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 11
        }
        var index = KeyIndex()
        var model: [UInt64: UInt32] = [:]
        for step in 0..<200_000 {
            // A small key space forces collisions, re-inserts and removals of present keys.
            let key = next() % 5_000
            switch next() % 3 {
            case 0, 1:
                let row = UInt32(truncatingIfNeeded: next())
                index.set(key, row: row)
                model[key] = row
            default:
                XCTAssertEqual(index.remove(key), model.removeValue(forKey: key), "remove(\(key)) at step \(step)")
            }
            if step % 10_000 == 0 {
                XCTAssertEqual(index.count, model.count)
                for k in 0..<5_000 as Range<UInt64> {
                    XCTAssertEqual(index.row(for: k), model[k], "key \(k) at step \(step)")
                }
            }
        }
        XCTAssertEqual(index.count, model.count)
        for (k, v) in model { XCTAssertEqual(index.row(for: k), v) }
    }

    /// The reserved key is never found, even though every empty slot holds it (a side-table
    /// entry with that key in a corrupt image made the loader index a row that did not exist;
    /// found by fuzz-store-image).
    func test_reservedKey_isNeverFound() {
        XCTAssertNil(KeyIndex().row(for: UInt64.max))
        let built = KeyIndex.build(count: 3) { UInt64($0) * 7 }
        XCTAssertNil(built.index.row(for: UInt64.max))
        XCTAssertEqual(built.index.row(for: 14), 2)
    }

    func test_growth_keepsEveryKey() {
        var index = KeyIndex(capacity: 1)
        for k in 0..<100_000 as Range<UInt64> { index.set(k * 7919, row: UInt32(k)) }
        XCTAssertEqual(index.count, 100_000)
        for k in 0..<100_000 as Range<UInt64> { XCTAssertEqual(index.row(for: k * 7919), UInt32(k)) }
        XCTAssertNil(index.row(for: 1))
    }

    /// A bulk build (keys inserted in home-slot order) finds every row's key, nothing else, and
    /// keeps working for later changes; a repeated key is reported at its later row.
    func test_build_findsEveryKey_andReportsARepeatedOne() {
        let keys: [UInt64] = (0..<50_000).map { ($0 &* 0x9E37_79B9_7F4A_7C15) >> 3 }
        var (index, twice) = KeyIndex.build(count: keys.count) { keys[$0] }
        XCTAssertNil(twice)
        XCTAssertEqual(index.count, keys.count)
        for (row, key) in keys.enumerated() { XCTAssertEqual(index.row(for: key), UInt32(row)) }
        XCTAssertNil(index.row(for: 1))
        XCTAssertEqual(index.remove(keys[7]), 7)
        index.set(keys[7], row: 99)
        XCTAssertEqual(index.row(for: keys[7]), 99)
        XCTAssertEqual(index.row(for: keys[8]), 8)

        var repeated = keys
        repeated[40_000] = keys[123]
        XCTAssertEqual(KeyIndex.build(count: repeated.count) { repeated[$0] }.duplicateRow, 40_000)
        XCTAssertNil(KeyIndex.build(count: 0) { _ in 0 }.duplicateRow)
    }
}
