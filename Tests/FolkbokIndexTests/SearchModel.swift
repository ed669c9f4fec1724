import FolkbokModel
import XCTest

@testable import FolkbokIndex

/// A `PersonStore` and a plain dictionary driven by the same seeded operations, for comparing
/// `search` with a brute-force filter (`SearchCriteria.matches`) over the dictionary.
struct SearchModel {
    var store: PersonStore = {
        // Small stages, so a few thousand records pass through every one (log, packed runs,
        // segments and their folds into the base).
        var store = PersonStore()
        store.search = SearchIndex(tuning: Postings.Tuning(logLimit: 64, segmentSize: 700, segmentLimit: 3))
        return store
    }()
    private(set) var records: [UInt64: PersonRecord] = [:]
    private var keys: [UInt64] = []
    private var removed: [PersonRecord] = []
    private var serial = 0

    static let surnames = [
        "Andersson", "ANDERSSON", "andersson", "Anderberg", "Andrén", "Andren", "Öberg", "Oberg", "Åberg",
        "Aberg", "Ström", "Strom", "Sæther", "Säther", "Müller", "Lind-Berg", "Lind Berg", "Nilsson", "Ek", "É", "李",
    ]
    static let givenNames = [
        "Anna", "Anna-Karin", "Karin", "Maria Anna", "Åsa", "ÅSA", "Asa", "Linnéa", "Linnea", "Örjan",
        "Orjan", "Eva Maria Lisa", "  Anna  Lisa ", "Søren", "Sören",
    ]
    static let streets =
        (1...40).map { "Storgatan \($0)" } + ["Östra Långgatan 5", "Ostra Langgatan 5", "Stora Nygatan 2", "Box 12"]
    static let postalCodes = ["11436", "114 36", "41301", "123", "SE-123", "12345", "54321", "123 45"]
    static let municipalities = ["0180", "1480", "1280", "0380"]

    private func pick<T>(_ list: [T], _ rng: inout SeededGenerator) -> T { list[Int(rng.next() % UInt64(list.count))] }
    private func chance(_ percent: UInt64, _ rng: inout SeededGenerator) -> Bool { rng.next() % 100 < percent }

    private mutating func newRecord(_ rng: inout SeededGenerator) -> PersonRecord {
        serial += 1
        var r = PersonRecord(id: Identity(kind: .personnummer, value: String(195_000_000_000 + UInt64(serial) * 10)))
        r.name = PersonName(given: randomGiven(&rng), surname: randomSurname(&rng))
        r.birthDate = randomBirth(&rng)
        r.address = randomAddress(&rng)
        r.municipality = chance(90, &rng) ? pick(Self.municipalities, &rng) : nil
        r.protection = randomProtection(&rng)
        return r
    }

    private mutating func randomSurname(_ rng: inout SeededGenerator) -> String? {
        chance(5, &rng) ? nil : chance(20, &rng) ? "Namn\(rng.next() % 5_000)" : pick(Self.surnames, &rng)
    }

    private func randomGiven(_ rng: inout SeededGenerator) -> String? {
        chance(5, &rng) ? nil : pick(Self.givenNames, &rng)
    }

    private func randomBirth(_ rng: inout SeededGenerator) -> CivilDate? {
        chance(5, &rng) ? nil : CivilDate(daysSinceEpoch: -10_000 + Int(rng.next() % 2_000))
    }

    private func randomProtection(_ rng: inout SeededGenerator) -> Protection {
        let p = rng.next() % 100
        return p < 10 ? .sekretess : p < 15 ? .skyddad : .none
    }

    private mutating func randomAddress(_ rng: inout SeededGenerator) -> PostalAddress? {
        guard chance(90, &rng) else { return nil }
        let street = chance(5, &rng) ? nil : chance(30, &rng) ? "Väg \(rng.next() % 3_000)" : pick(Self.streets, &rng)
        return PostalAddress(
            street: street, postalCode: chance(5, &rng) ? nil : pick(Self.postalCodes, &rng), city: "ORT")
    }

    private mutating func put(_ r: PersonRecord) {
        let key = IdentityKey(r.id)!.raw
        if records[key] == nil { keys.append(key) }
        records[key] = r
        store.upsert(r, key: IdentityKey(raw: key))
    }

    /// One random operation: insert, change one part, remove or re-insert.
    mutating func step(using rng: inout SeededGenerator) {
        let op = rng.next() % 100
        if keys.isEmpty || (op < 35 && keys.count < 3_000) {
            put(newRecord(&rng))
        } else if op < 70 {
            var r = records[pick(keys, &rng)]!
            switch rng.next() % 6 {
            case 0: r.name.surname = randomSurname(&rng)
            case 1: r.name.given = randomGiven(&rng)
            case 2: r.address = randomAddress(&rng)
            case 3: r.protection = randomProtection(&rng)
            case 4: r.birthDate = randomBirth(&rng)
            default: r.municipality = chance(90, &rng) ? pick(Self.municipalities, &rng) : nil
            }
            put(r)
        } else if op < 88 {
            let at = Int(rng.next() % UInt64(keys.count))
            let key = keys[at]
            keys.swapAt(at, keys.count - 1)
            keys.removeLast()
            removed.append(records.removeValue(forKey: key)!)
            XCTAssertTrue(store.remove(IdentityKey(raw: key)))
        } else if !removed.isEmpty {
            var r = removed.remove(at: Int(rng.next() % UInt64(removed.count)))
            if chance(50, &rng) { r.address = randomAddress(&rng) }
            put(r)
        }
    }

    /// A pattern for `name` (or a vocabulary word), in random case, sometimes a prefix.
    private func pattern(_ name: String?, _ vocabulary: [String], _ rng: inout SeededGenerator) -> NamePattern {
        var text = name ?? pick(vocabulary, &rng)
        if chance(20, &rng) { text = text.uppercased() } else if chance(20, &rng) { text = text.lowercased() }
        if chance(40, &rng) { text = String(text.prefix(Int(rng.next() % 5))) + "*" }
        return NamePattern(text)
    }

    func randomCriteria(using rng: inout SeededGenerator) -> SearchCriteria {
        let r: PersonRecord? = keys.isEmpty || chance(20, &rng) ? nil : records[pick(keys, &rng)]
        var c = SearchCriteria()
        while c.isEmpty {
            for part in 0..<6 where chance(30, &rng) {
                switch part {
                case 0: c.surname = pattern(r?.name.surname, Self.surnames, &rng)
                case 1:
                    let word = r?.name.given.flatMap {
                        SwedishFold.fold($0).split(separator: " ").randomElement(using: &rng)
                    }
                    c.given = pattern(word.map(String.init), Self.givenNames, &rng)
                case 2:
                    let date = r?.birthDate ?? randomBirth(&rng) ?? CivilDate(year: 1943, month: 1, day: 1)!
                    c.birthDate = chance(50, &rng) ? .day(date) : .year(date.year)
                case 3: c.postalCode = r?.address?.postalCode ?? pick(Self.postalCodes, &rng)
                case 4: c.municipality = r?.municipality ?? pick(Self.municipalities, &rng)
                default: c.street = pattern(r?.address?.street, Self.streets, &rng)
                }
            }
        }
        return c
    }

    func expected(_ c: SearchCriteria) -> [IdentityKey] {
        records.filter { c.matches($0.value) }.keys.sorted().map(IdentityKey.init(raw:))
    }

    /// Walks all pages of `c` with a random page size and compares with the brute force.
    func checkPaging(
        _ c: SearchCriteria, using rng: inout SeededGenerator, file: StaticString = #filePath, line: UInt = #line
    ) {
        let want = expected(c)
        let limit = chance(50, &rng) ? 1 + Int(rng.next() % 7) : 50
        var got: [IdentityKey] = []
        var after: IdentityKey?
        while true {
            let page = store.search(c, after: after, limit: limit)
            XCTAssertLessThanOrEqual(page.count, limit, file: file, line: line)
            got += page
            guard page.count == limit, let last = page.last else { break }
            after = last
        }
        XCTAssertEqual(got, want, "\(c)", file: file, line: line)
        if let middle = want.randomElement(using: &rng) {
            XCTAssertEqual(
                store.search(c, after: middle, limit: 5), Array(want.filter { $0 > middle }.prefix(5)), "\(c)",
                file: file, line: line)
        }
    }
}
