import FolkbokModel
import XCTest

@testable import FolkbokIndex

final class FoldedTermsTests: XCTestCase {
    private static let words = [
        "Andersson", "ANDERSSON", "Anderberg", "Andrén", "Öberg", "Oberg", "Åberg", "Storgatan", "Ström",
        "Sæther", "Säther", "Lind-Berg", "A\u{30A}sa", "Åsa", "ÅSA",
    ]

    /// Seeded strings (far more than one absorb batch) against a brute-force fold and match.
    func test_idsMatching_equalsBruteForce_acrossAbsorbsAndRebuild() {
        var rng = SeededGenerator(seed: 21)
        var pool = StringPool()
        var terms = FoldedTerms()
        var added: [UInt32: String] = [:]
        func check() {
            for text in Self.words + ["And*", "ö*", "Storgatan 1*", "stor*", "*", "x"] {
                let pattern = NamePattern(text)
                let expected = added.filter { pattern.matches($0.value) }.keys.sorted()
                XCTAssertEqual(terms.ids(matching: pattern).sorted(), expected, text)
            }
            XCTAssertTrue(terms.isSorted())
        }
        for step in 1...3_000 {
            let base = Self.words[Int(rng.next() % UInt64(Self.words.count))]
            let text = rng.next() % 2 == 0 ? base : "\(base) \(rng.next() % 400)"
            let id = pool.intern(text)
            terms.add(id, strings: pool)
            added[id] = text
            XCTAssertTrue(terms.contains(id))
            if step % 700 == 0 { check() }
        }
        terms.rebuild(ids: Array(added.keys), strings: pool)
        check()
    }
}
