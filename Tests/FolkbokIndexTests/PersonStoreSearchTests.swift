import FolkbokModel
import XCTest

@testable import FolkbokIndex

final class PersonStoreSearchTests: XCTestCase {
    private func person(
        _ n: Int, surname: String?, given: String? = "Anna", birth: CivilDate? = nil,
        street: String? = "Storgatan 1", postal: String? = "11436", municipality: String? = "0180",
        protection: Protection = .none
    ) -> PersonRecord {
        var r = PersonRecord(id: Identity(kind: .personnummer, value: String(195001011000 + UInt64(n))))
        r.name = PersonName(given: given, surname: surname)
        r.birthDate = birth ?? CivilDate(year: 1950, month: 1, day: 1)
        r.address =
            street == nil && postal == nil ? nil : PostalAddress(street: street, postalCode: postal, city: "STOCKHOLM")
        r.municipality = municipality
        r.protection = protection
        return r
    }

    private func store(_ records: [PersonRecord]) -> PersonStore {
        var store = PersonStore()
        for r in records { store.upsert(r, key: IdentityKey(r.id)!) }
        return store
    }

    private func found(_ store: PersonStore, _ c: SearchCriteria, limit: Int = 100) -> [String] {
        store.search(c, after: nil, limit: limit).map { $0.identity!.value }
    }

    private func ids(_ records: [PersonRecord], _ picks: Int...) -> [String] {
        picks.map { records[$0].id.value }.sorted()
    }

    func test_surname_foldsCaseAndForeignAccents_keepsSwedishLetters() {
        let people = [
            person(0, surname: "Åsa"), person(1, surname: "åsa"), person(2, surname: "ÅSA"), person(3, surname: "Asa"),
            person(4, surname: "Öberg"), person(5, surname: "Oberg"), person(6, surname: "Lindé"),
            person(7, surname: "Linde"),
            person(8, surname: "Sæther"), person(9, surname: "Säther"), person(10, surname: "Müller"),
        ]
        let s = store(people)
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("åsa"))), ids(people, 0, 1, 2))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("ASA"))), ids(people, 3))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("ÖBERG"))), ids(people, 4))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("oberg"))), ids(people, 5))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("Linde"))), ids(people, 6, 7))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("säther"))), ids(people, 8, 9))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("Muller"))), ids(people, 10))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("Berg"))), [])
    }

    func test_surnamePrefix_matchesFoldedStart() {
        let people = [
            person(0, surname: "Andersson"), person(1, surname: "Anderberg"), person(2, surname: "Andrén"),
            person(3, surname: "ANDER"), person(4, surname: "Sander"), person(5, surname: nil),
        ]
        let s = store(people)
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("Ander*"))), ids(people, 0, 1, 3))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("andre*"))), ids(people, 2))
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("*"))), ids(people, 0, 1, 2, 3, 4))
    }

    func test_given_matchesAnyGivenName_hyphenatedNameIsOneName() {
        let people = [
            person(0, surname: "A", given: "Anna-Karin"), person(1, surname: "A", given: "Maria Anna"),
            person(2, surname: "A", given: "Karin"), person(3, surname: "A", given: "Annika Eva"),
            person(4, surname: "A", given: nil),
        ]
        let s = store(people)
        XCTAssertEqual(found(s, SearchCriteria(given: NamePattern("anna-karin"))), ids(people, 0))
        XCTAssertEqual(found(s, SearchCriteria(given: NamePattern("Anna"))), ids(people, 1))
        XCTAssertEqual(found(s, SearchCriteria(given: NamePattern("Karin"))), ids(people, 2))
        XCTAssertEqual(found(s, SearchCriteria(given: NamePattern("Ann*"))), ids(people, 0, 1, 3))
        XCTAssertEqual(found(s, SearchCriteria(given: NamePattern("EVA"))), ids(people, 3))
    }

    func test_addressCriteria_neverMatchProtected_nameAndBirthDo() {
        let people = [
            person(0, surname: "Lund", protection: .none), person(1, surname: "Lund", protection: .sekretess),
            person(2, surname: "Lund", protection: .skyddad),
        ]
        let s = store(people)
        for c in [
            SearchCriteria(municipality: "0180"), SearchCriteria(postalCode: "114 36"),
            SearchCriteria(street: NamePattern("storgatan 1")),
            SearchCriteria(street: NamePattern("Stor*")),
            SearchCriteria(surname: NamePattern("Lund"), municipality: "0180"),
        ] {
            XCTAssertEqual(found(s, c), ids(people, 0), "\(c)")
        }
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("lund"))), ids(people, 0, 1, 2))
        XCTAssertEqual(found(s, SearchCriteria(birthDate: .year(1950))), ids(people, 0, 1, 2))
    }

    func test_protectionChange_takesEffectAtOnce() {
        var p = person(0, surname: "Lund")
        var s = store([p])
        XCTAssertEqual(found(s, SearchCriteria(municipality: "0180")).count, 1)
        p.protection = .skyddad
        s.upsert(p, key: IdentityKey(p.id)!)
        XCTAssertEqual(found(s, SearchCriteria(municipality: "0180")), [])
        XCTAssertEqual(found(s, SearchCriteria(surname: NamePattern("Lund"))).count, 1)
    }

    func test_postalCodeAndBirthDate_andUnknownMunicipality() {
        let people = [
            person(0, surname: "A", birth: CivilDate(year: 1960, month: 2, day: 29), postal: "123 45"),
            person(1, surname: "B", birth: CivilDate(year: 1960, month: 3, day: 1), postal: "12345"),
            person(2, surname: "C", birth: CivilDate(year: 1961, month: 2, day: 28), postal: "1234"),
            person(3, surname: "D", birth: CivilDate(year: 1960, month: 2, day: 29), postal: nil, municipality: "1480"),
        ]
        let s = store(people)
        XCTAssertEqual(found(s, SearchCriteria(postalCode: "12345")), ids(people, 0, 1))
        XCTAssertEqual(found(s, SearchCriteria(postalCode: "1 2 3 4")), ids(people, 2))
        XCTAssertEqual(found(s, SearchCriteria(birthDate: .year(1960))), ids(people, 0, 1, 3))
        XCTAssertEqual(
            found(s, SearchCriteria(birthDate: .day(CivilDate(year: 1960, month: 2, day: 29)!))), ids(people, 0, 3))
        XCTAssertEqual(found(s, SearchCriteria(municipality: "1480")), ids(people, 3))
        XCTAssertEqual(found(s, SearchCriteria(municipality: "9999")), [])
        XCTAssertEqual(found(s, SearchCriteria(birthDate: .year(0))), [])
    }

    func test_paging_limitOneWalksEveryMatchOnce() {
        let people = (0..<50).map { person($0 * 7 % 50, surname: "Berg") }
        let s = store(people)
        var after: IdentityKey?
        var walked: [IdentityKey] = []
        while let next = s.search(SearchCriteria(surname: NamePattern("berg")), after: after, limit: 1).first {
            walked.append(next)
            after = next
        }
        XCTAssertEqual(walked, people.map { IdentityKey($0.id)! }.sorted())
        XCTAssertEqual(s.search(SearchCriteria(surname: NamePattern("berg")), after: nil, limit: 0), [])
    }

    func test_imageRoundTrip_rebuildsSearch() throws {
        var rng = SeededGenerator(seed: 5)
        var model = SearchModel()
        for _ in 0..<3_000 { model.step(using: &rng) }
        var bytes: [UInt8] = []
        model.store.writeImage(into: &bytes)
        var loaded = try bytes.withUnsafeBytes { raw in
            Result { () throws(StoreImageError) in try PersonStore(image: raw) }
        }.get()
        XCTAssertEqual(loaded.searchInvariantViolations, [])
        for _ in 0..<200 {
            let c = model.randomCriteria(using: &rng)
            XCTAssertEqual(loaded.search(c, after: nil, limit: 10_000), model.expected(c), "\(c)")
        }
        swap(&loaded, &model.store)
        for _ in 0..<2_000 { model.step(using: &rng) }
        XCTAssertEqual(model.store.searchInvariantViolations, [])
        for _ in 0..<200 {
            let c = model.randomCriteria(using: &rng)
            XCTAssertEqual(model.store.search(c, after: nil, limit: 10_000), model.expected(c), "\(c)")
        }
    }

    /// A store loaded from an image defers its search index (a restart answers lookups without
    /// waiting for it): searches still answer as the model says, and changes before the build
    /// are not lost; the bulk-load step builds it exact, and a change makes it inexact again.
    func test_loadedImage_defersItsSearchIndex_andSearchesStillAnswerExactly() throws {
        var rng = SeededGenerator(seed: 9)
        var model = SearchModel()
        for _ in 0..<2_000 { model.step(using: &rng) }
        XCTAssertFalse(model.store.searchIndexIsExact, "changed one by one")
        var bytes: [UInt8] = []
        model.store.writeImage(into: &bytes)
        let loaded = try bytes.withUnsafeBytes { raw in
            Result { () throws(StoreImageError) in try PersonStore(image: raw) }
        }.get()
        XCTAssertFalse(loaded.searchIndexIsBuilt)
        XCTAssertEqual(loaded.searchFootprintBytes, SearchModel().store.searchFootprintBytes, "holds nothing")
        model.store = loaded
        for _ in 0..<20 {
            let c = model.randomCriteria(using: &rng)
            XCTAssertEqual(model.store.search(c, after: nil, limit: 10_000), model.expected(c), "deferred: \(c)")
        }
        for _ in 0..<50 { model.step(using: &rng) }
        XCTAssertFalse(model.store.searchIndexIsBuilt, "changes do not build it")
        model.store.trimAndRebuildSearchIndex()
        XCTAssertTrue(model.store.searchIndexIsBuilt)
        XCTAssertTrue(model.store.searchIndexIsExact)
        model.step(using: &rng)
        XCTAssertFalse(model.store.searchIndexIsExact)
        model.store.trimAndRebuildSearchIndex()
        XCTAssertTrue(model.store.searchIndexIsExact)
        XCTAssertEqual(model.store.searchInvariantViolations, [])
        for _ in 0..<200 {
            let c = model.randomCriteria(using: &rng)
            XCTAssertEqual(model.store.search(c, after: nil, limit: 10_000), model.expected(c), "\(c)")
        }
    }

    /// A bulk load drops a built index (`deferSearchIndex`): it holds nothing, the changes
    /// after it do not touch it, searches still answer as the model says, and the bulk load's
    /// rebuild makes it exact from all the rows.
    func test_deferSearchIndex_dropsTheIndex_searchesStayExact_andTheRebuildCoversEveryChange() {
        var rng = SeededGenerator(seed: 21)
        var model = SearchModel()
        for _ in 0..<1_000 { model.step(using: &rng) }
        XCTAssertTrue(model.store.searchIndexIsBuilt)
        model.store.deferSearchIndex()
        XCTAssertFalse(model.store.searchIndexIsBuilt)
        XCTAssertEqual(model.store.searchFootprintBytes, SearchModel().store.searchFootprintBytes, "holds nothing")
        for _ in 0..<1_000 { model.step(using: &rng) }
        XCTAssertEqual(model.store.searchFootprintBytes, SearchModel().store.searchFootprintBytes, "changes pass it by")
        for _ in 0..<50 {
            let c = model.randomCriteria(using: &rng)
            XCTAssertEqual(model.store.search(c, after: nil, limit: 10_000), model.expected(c), "deferred: \(c)")
        }
        model.store.trimAndRebuildSearchIndex()
        XCTAssertTrue(model.store.searchIndexIsBuilt)
        XCTAssertTrue(model.store.searchIndexIsExact)
        XCTAssertEqual(model.store.searchInvariantViolations, [])
        for _ in 0..<200 {
            let c = model.randomCriteria(using: &rng)
            XCTAssertEqual(model.store.search(c, after: nil, limit: 10_000), model.expected(c), "\(c)")
        }
    }

    /// Model-based: seeded upserts (changing names, addresses, protection), removals and
    /// re-inserts against a dictionary; random criteria, pages concatenated with `after`.
    func test_randomOperations_matchBruteForce_pagesConcatenate() {
        var rng = SeededGenerator(seed: 11)
        var model = SearchModel()
        var nonEmpty = 0
        for step in 1...30_000 {
            model.step(using: &rng)
            if step % 1_500 == 0 {
                XCTAssertEqual(model.store.searchInvariantViolations, [], "step \(step)")
                for _ in 0..<25 {
                    let c = model.randomCriteria(using: &rng)
                    if !model.expected(c).isEmpty { nonEmpty += 1 }
                    model.checkPaging(c, using: &rng)
                }
            }
            if step % 13_000 == 0 { model.store.trimAndRebuildSearchIndex() }
        }
        XCTAssertGreaterThan(nonEmpty, 250, "most criteria should have matches")
    }
}
