import FolkbokModel
import XCTest

@testable import FolkbokDemo

final class DemoPopulationTests: XCTestCase {
    private static let demo = DemoPopulation.make(today: RecordChecks.today)

    func testLoadsAllNumbersWithUniqueIds() {
        let demo = Self.demo
        XCTAssertEqual(demo.count, 41_494, "the 41,493 test numbers and Tolvan")
        XCTAssertEqual(Set(demo.map(\.id)).count, 41_494)
        XCTAssertTrue(demo.allSatisfy { $0.test })
        for p in demo {
            XCTAssertTrue(RecordChecks.luhnValid(p.id.value), p.id.value)
            let day = Int(p.id.value.dropFirst(6).prefix(2))!
            XCTAssertEqual(p.id.kind, day > 60 ? .samordningsnummer : .personnummer)
            XCTAssertNil(p.id.issuer)
        }
    }

    func testEveryRecordIsConsistent() {
        for p in Self.demo {
            RecordChecks.assertConsistent(p)
            XCTAssertEqual(p.region, p.county)
        }
    }

    func testDeterministic() {
        XCTAssertEqual(DemoPopulation.make(today: RecordChecks.today), Self.demo)
    }

    func testPersonDoesNotDependOnFileOrder() {
        let factory = PersonFactory(today: RecordChecks.today, test: true)
        var rng = SplitMix64(seed: 42)
        for p in Self.demo.shuffled(using: &rng).prefix(2_000) {
            let parts = Personnummer.decode(Array(p.id.value.utf8))!
            let again = factory.make(id: p.id, birth: parts.birth, sex: parts.sex, seed: factory.seed(for: parts.value))
            XCTAssertEqual(again, p)
        }
    }

    func testShares() {
        let demo = Self.demo
        func share(_ isIn: (PersonRecord) -> Bool) -> Double {
            Double(demo.count(where: isIn)) / Double(demo.count) * 100
        }
        let sekretess = share { $0.protection == .sekretess }
        let skyddad = share { $0.protection == .skyddad }
        XCTAssertTrue((0.3...0.8).contains(sekretess), "sekretess \(sekretess) %")
        XCTAssertTrue((0.05...0.2).contains(skyddad), "skyddad \(skyddad) %")
        let young = demo.filter { $0.birthDate!.year >= 1930 }
        let youngDeceased = Double(young.count { $0.status.state == .deceased }) / Double(young.count) * 100
        XCTAssertTrue((0.6...1.5).contains(youngDeceased), "deceased \(youngDeceased) %")
        let old = demo.filter { $0.birthDate!.year < 1930 }
        XCTAssertGreaterThan(old.count { $0.status.state == .deceased } * 10, old.count * 8)
        let deregistered = share { $0.status.state == .deregistered }
        XCTAssertTrue((0.25...0.8).contains(deregistered), "deregistered \(deregistered) %")
        let special = share { $0.specialAddress != nil }
        XCTAssertTrue((0.15...0.5).contains(special), "special \(special) %")
        let contact = share { $0.contact != nil }
        XCTAssertTrue((15...22).contains(contact), "contact \(contact) %")
        XCTAssertGreaterThanOrEqual(Set(demo.map(\.county)).count, 21)
    }

    func testReferenceTables() {
        XCTAssertGreaterThanOrEqual(Set(GivenNames.female).count, 60)
        XCTAssertGreaterThanOrEqual(Set(GivenNames.male).count, 60)
        XCTAssertGreaterThanOrEqual(Set(Surnames.all).count, 100)
        XCTAssertGreaterThanOrEqual(Set(StreetNames.all).count, 80)
        XCTAssertEqual(Set(Municipalities.all.map(\.code)).count, Municipalities.all.count)
        XCTAssertEqual(Set(Municipalities.all.map(\.county)), Set(Municipalities.countyCodes))
        XCTAssertEqual(Municipalities.countyCodes.count, 21)
        let names = GivenNames.female + GivenNames.male + Surnames.all
        XCTAssertTrue(names.allSatisfy { !$0.contains(" ") })
        XCTAssertTrue(names.contains { $0.contains("å") || $0.contains("ä") || $0.contains("ö") })
    }
}
