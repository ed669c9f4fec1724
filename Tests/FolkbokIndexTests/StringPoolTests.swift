import XCTest

@testable import FolkbokIndex

final class StringPoolTests: XCTestCase {
    func test_intern_sameStringSameID_andRoundTrips() {
        var pool = StringPool()
        let words = (0..<20_000).map { "Gata \($0 % 7_000) åäö \($0 % 13)" }
        var ids: [String: UInt32] = [:]
        for w in words {
            let id = pool.intern(w)
            if let earlier = ids[w] { XCTAssertEqual(id, earlier) }
            ids[w] = id
        }
        XCTAssertEqual(pool.count, ids.count)
        for (w, id) in ids {
            XCTAssertEqual(pool.string(id), w)
            XCTAssertEqual(pool.id(of: w), id)
        }
        XCTAssertNil(pool.id(of: "not there"))
    }

    func test_nil_isIDZero_andEmptyStringIsDistinct() {
        var pool = StringPool()
        XCTAssertEqual(pool.intern(nil), 0)
        XCTAssertNil(pool.string(0))
        let empty = pool.intern("")
        XCTAssertNotEqual(empty, 0)
        XCTAssertEqual(pool.string(empty), "")
    }

    func test_releaseSpareCapacity_keepsEveryStringAndID_andGivesBackTheDoublingSlack() {
        var pool = StringPool()
        let words = (0..<9_000).map { "Österlånggatan \($0)" }
        let ids = words.map { pool.intern($0) }
        let before = pool.footprintBytes
        pool.releaseSpareCapacity()
        XCTAssertLessThanOrEqual(pool.arena.capacity, pool.arena.count + pool.arena.count / 16)
        XCTAssertLessThanOrEqual(pool.starts.capacity, pool.starts.count + pool.starts.count / 16)
        XCTAssertLessThan(pool.footprintBytes, before)
        for (word, id) in zip(words, ids) {
            XCTAssertEqual(pool.string(id), word)
            XCTAssertEqual(pool.intern(word), id, "interning again finds the same id")
        }
        XCTAssertEqual(pool.intern("Ny gata 1"), UInt32(words.count + 1), "and new strings go on after them")
    }
}
