import FolkbokDemo
import FolkbokModel
import XCTest

final class SyntheticPopulationTests: XCTestCase {
    private let today = RecordChecks.today

    func testNumbersAreValidAndUnique() {
        let n = 200_000
        var seen = Set<String>()
        seen.reserveCapacity(n)
        let first = CivilDate(year: 1925, month: 1, day: 1)!
        let last = CivilDate(year: 2025, month: 12, day: 31)!
        for p in SyntheticPopulation.make(count: n, seed: 7, region: nil, today: today) {
            let id = p.id.value
            XCTAssertEqual(p.id.kind, .personnummer)
            XCTAssertTrue(RecordChecks.luhnValid(id), id)
            guard let b = RecordChecks.birthDate(id), let date = CivilDate(year: b.year, month: b.month, day: b.day)
            else {
                XCTFail("bad date \(id)")
                continue
            }
            XCTAssertTrue(date >= first && date <= last && date <= today, id)
            XCTAssertNotEqual(id.dropFirst(8).prefix(3), "000", id)
            XCTAssertTrue(seen.insert(id).inserted, "duplicate \(id)")
        }
        XCTAssertEqual(seen.count, n)
    }

    func testRecordsAreConsistent() {
        for p in SyntheticPopulation.make(count: 50_000, seed: 3, region: nil, today: today) {
            RecordChecks.assertConsistent(p)
            XCTAssertFalse(p.test)
            XCTAssertEqual(p.region, p.county)
        }
    }

    func testSameSeedSameSequence() {
        let a = Array(SyntheticPopulation.make(count: 5_000, seed: 99, region: "14", today: today))
        let b = Array(SyntheticPopulation.make(count: 5_000, seed: 99, region: "14", today: today))
        XCTAssertEqual(a, b)
        let sequence = SyntheticPopulation.make(count: 100, seed: 99, region: "14", today: today)
        XCTAssertEqual(Array(sequence), Array(sequence))
        XCTAssertEqual(Array(sequence), Array(a.prefix(100)))
        let other = Array(SyntheticPopulation.make(count: 100, seed: 100, region: "14", today: today))
        XCTAssertNotEqual(other.map(\.id), Array(a.prefix(100)).map(\.id))
    }

    func testRegionPlacesEveryoneInThatCounty() {
        for p in SyntheticPopulation.make(count: 10_000, seed: 1, region: "12", today: today) {
            XCTAssertEqual(p.region, "12")
            XCTAssertEqual(p.county, "12")
            XCTAssertEqual(p.municipality?.prefix(2), "12")
        }
    }

    func testEarlyTodayLimitsBirthDates() {
        let early = CivilDate(year: 1990, month: 6, day: 30)!
        XCTAssertEqual(
            SyntheticPopulation.capacity(today: early),
            (early.daysSinceEpoch - CivilDate(year: 1925, month: 1, day: 1)!.daysSinceEpoch + 1) * 999)
        for p in SyntheticPopulation.make(count: 20_000, seed: 5, region: nil, today: early) {
            XCTAssertLessThanOrEqual(p.birthDate!, early)
            XCTAssertLessThanOrEqual(p.status.date?.civilDate ?? early, early)
        }
        XCTAssertEqual(Array(SyntheticPopulation.make(count: 0, seed: 5, region: nil, today: today)).count, 0)
    }

    func testSharesMatchDemoGenerator() {
        var sekretess = 0, skyddad = 0, contact = 0
        let n = 100_000
        for p in SyntheticPopulation.make(count: n, seed: 11, region: nil, today: today) {
            if p.protection == .sekretess { sekretess += 1 }
            if p.protection == .skyddad { skyddad += 1 }
            if p.contact != nil { contact += 1 }
        }
        XCTAssertTrue((300...800).contains(sekretess * 100_000 / n), "sekretess \(sekretess)")
        XCTAssertTrue((50...200).contains(skyddad * 100_000 / n), "skyddad \(skyddad)")
        XCTAssertTrue((15_000...22_000).contains(contact * 100_000 / n), "contact \(contact)")
    }
}
