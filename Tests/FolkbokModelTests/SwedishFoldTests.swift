import FolkbokModel
import XCTest

final class SwedishFoldTests: XCTestCase {
    private func same(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(SwedishFold.fold(a), SwedishFold.fold(b), "\(a) / \(b)", file: file, line: line)
    }

    private func differ(_ a: String, _ b: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(SwedishFold.fold(a), SwedishFold.fold(b), "\(a) / \(b)", file: file, line: line)
    }

    func test_case_foldsForSwedishLettersToo() {
        XCTAssertEqual(SwedishFold.fold("Åsa"), "åsa")
        same("åsa", "ÅSA")
        same("ÄNGEL", "ängel")
        XCTAssertEqual(SwedishFold.fold("ÖBERG"), "öberg")
    }

    func test_swedishLetters_stayDistinctFromTheirBases() {
        differ("Öberg", "Oberg")
        differ("Åsa", "Asa")
        differ("Ärla", "Arla")
        differ("Åsa", "Äsa")
    }

    func test_otherDiacritics_foldAway() {
        same("Linnéa", "Linnea")
        same("Müller", "Muller")
        same("Çelik", "celik")
        same("Muñoz", "Munoz")
        same("Łukasz", "lukasz")
        same("Dvořák", "dvorak")
        same("Erdős", "erdos")
        same("ÉÈÊË", "eeee")
    }

    func test_danishAndNorwegianLetters_foldAsSwedishCollationDoes() {
        same("Sæther", "Säther")
        same("Søren", "Sören")
        same("ØSTERGAARD", "östergaard")
        same("Ǿ", "ö")
    }

    func test_ligaturesAndSpecialLetters_expand() {
        XCTAssertEqual(SwedishFold.fold("Straße"), "strasse")
        XCTAssertEqual(SwedishFold.fold("Þór"), "thor")
        XCTAssertEqual(SwedishFold.fold("Guðrún"), "gudrun")
        XCTAssertEqual(SwedishFold.fold("Œuvre"), "oeuvre")
        XCTAssertEqual(SwedishFold.fold("Yıldız"), "yildiz")
    }

    func test_decomposedForms_foldLikePrecomposed() {
        same("A\u{30A}sa", "Åsa")
        same("a\u{308}ngel", "ängel")
        same("O\u{308}berg", "Öberg")
        same("Linne\u{301}a", "Linnea")
        differ("O\u{308}berg", "Oberg")
    }

    func test_whitespace_collapsesAndTrims() {
        XCTAssertEqual(SwedishFold.fold("  Anna \t  Karin\n"), "anna karin")
        XCTAssertEqual(SwedishFold.fold("Anna\u{A0}Karin"), "anna karin")
        XCTAssertEqual(SwedishFold.fold("   "), "")
        XCTAssertEqual(SwedishFold.fold("Anna-Karin"), "anna-karin")
    }

    func test_otherScripts_areKeptLowercased() {
        XCTAssertEqual(SwedishFold.fold("李 Ölund"), "李 ölund")
        XCTAssertEqual(SwedishFold.fold("ΑΘΗΝΑ"), "αθηνα")
        XCTAssertEqual(SwedishFold.fold("O'Brien 3"), "o'brien 3")
    }

    func test_fold_isIdempotent() {
        for s in [
            "Åsa Öberg", "Sæther", "Straße", "A\u{30A}", "  x  y ", "Þór", "ΑΘΗΝΑ", "Dvořák", "ǅ", "ŉ", "İstanbul",
        ] {
            XCTAssertEqual(SwedishFold.fold(SwedishFold.fold(s)), SwedishFold.fold(s), s)
        }
    }

    func test_namePattern_trailingStarIsPrefix() {
        let ander = NamePattern("Ander*")
        XCTAssertEqual(ander, NamePattern(folded: "ander", isPrefix: true))
        XCTAssertTrue(ander.matches("Andersson"))
        XCTAssertTrue(ander.matches("ANDER"))
        XCTAssertFalse(ander.matches("Andrén"))
        let asa = NamePattern("Åsa")
        XCTAssertFalse(asa.isPrefix)
        XCTAssertTrue(asa.matches("ÅSA"))
        XCTAssertFalse(asa.matches("Åsan"))
        XCTAssertFalse(asa.matches("Asa"))
        XCTAssertFalse(NamePattern("A*a").isPrefix)
        XCTAssertEqual(NamePattern("Öb** "), NamePattern(folded: "öb", isPrefix: true))
    }

    func test_criteria_matches_protectedOnlyByNameAndBirth() {
        var r = PersonRecord(id: Identity(kind: .personnummer, value: "195001011234"))
        r.name = PersonName(given: "Maria Anna-Karin", surname: "Öberg")
        r.birthDate = CivilDate(year: 1950, month: 1, day: 1)
        r.address = PostalAddress(street: "Storgatan 1", postalCode: "114 36")
        r.municipality = "0180"
        r.protection = .sekretess
        XCTAssertTrue(
            SearchCriteria(surname: NamePattern("öberg"), given: NamePattern("anna-karin"), birthDate: .year(1950))
                .matches(r))
        XCTAssertFalse(SearchCriteria(given: NamePattern("Karin")).matches(r))
        XCTAssertFalse(SearchCriteria(surname: NamePattern("öberg"), postalCode: "11436").matches(r))
        r.protection = .none
        XCTAssertTrue(
            SearchCriteria(postalCode: "11436", municipality: "0180", street: NamePattern("stor*")).matches(r))
    }
}
