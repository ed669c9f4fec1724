import FolkbokDemo
import FolkbokModel
import Foundation

@testable import FolkbokIndex

/// Seeded stores whose records use every field kind: nil and present optionals, non-ASCII
/// text, all identity kinds, every enum value, side tables of every sort.
enum StoreSamples {
    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    static func record(_ i: Int, using rng: inout SeededGenerator) -> PersonRecord {
        let year = 1900 + i % 120, month = 1 + i % 12, day = 1 + i % 28
        let coordination = rng.next() % 5 == 0
        let digits = String(format: "%04d%02d%02d%04d", year, month, day + (coordination ? 60 : 0), i % 10000)
        let id =
            i % 97 == 3
            ? Identity(
                kind: .reserve, value: String(format: "%08dAB%d%d", 19_800_000 + i, i % 10, i % 7), issuer: "national")
            : Identity(kind: coordination ? .samordningsnummer : .personnummer, value: digits)
        func maybe(_ s: String) -> String? { rng.next() % 4 == 0 ? nil : s }
        var r = PersonRecord(id: id)
        r.name = PersonName(
            given: maybe("Förnamn\(i % 300)"), callName: maybe("Åsa"), middle: maybe("Ölund 李"),
            surname: maybe("Efternamnsson\(i % 977)"))
        r.birthDate = rng.next() % 3 == 0 ? nil : date(year, month, day)
        r.sex = [nil, Sex.female, Sex.male][Int(rng.next() % 3)]
        if rng.next() % 3 != 0 {
            r.address = PostalAddress(
                careOf: maybe("c/o Någon"), street: maybe("Vägen \(i)"), postalCode: maybe("12345"),
                city: maybe("Göteborg"))
        }
        if rng.next() % 7 == 0 {
            r.specialAddress = PostalAddress(
                careOf: maybe("c/o"), street: "Box \(i)", postalCode: "54321", city: maybe("Malmö"))
        }
        if rng.next() % 11 == 0 {
            r.foreignAddress = ForeignAddress(lines: ["Line \(i)", "", "Town ü"], country: maybe("Norge"))
        }
        if rng.next() % 29 == 0 { r.foreignAddress = ForeignAddress(lines: [], country: nil) }
        r.county = maybe(["01", "14", "25"][i % 3])
        r.municipality = maybe("1480")
        r.protection = Protection(rawValue: UInt8(rng.next() % 3))!
        r.test = rng.next() % 2 == 0
        let state = LifeState(rawValue: UInt8(rng.next() % 3))!
        r.status = PersonStatus(
            state: state, civilDate: state == .active ? nil : date(2001, 1, 1),
            reason: state == .deregistered ? DeregistrationReason.allCases[i % 7] : nil)
        r.region = maybe("14")
        if rng.next() % 5 == 0 {
            r.contact = ContactDetails(
                email: maybe("p\(i)@exempel.se"), phone: maybe("070\(i)"),
                consent: Consent(source: i % 2 == 0 ? "app" : "", date: date(2022, 3, 4)), version: rng.next())
        }
        if rng.next() % 13 == 0 {
            r.reserveLinks = [
                Identity(kind: .reserve, value: "L\(i)", issuer: "14"),
                Identity(kind: .personnummer, value: "191212121212"),
            ]
        }
        r.details = P4Samples.details(i)
        r.history = P4Samples.history(i)
        r.version = rng.next()
        return r
    }

    /// A store after `count` seeded upserts and some removals (so row order is not insertion
    /// order), with the records it holds.
    static func store(_ count: Int, seed: UInt64 = 1) -> (PersonStore, [PersonRecord]) {
        var rng = SeededGenerator(seed: seed)
        var store = PersonStore()
        var model: [UInt64: PersonRecord] = [:]
        for i in 0..<count {
            let r = record(i, using: &rng)
            let key = IdentityKey(r.id)!
            store.upsert(r, key: key)
            model[key.raw] = r
            if rng.next() % 10 == 0, let victim = model.keys.randomElement(using: &rng) {
                store.remove(IdentityKey(raw: victim))
                model[victim] = nil
            }
        }
        return (store, Array(model.values))
    }
}

typealias SeededGenerator = SplitMix64
