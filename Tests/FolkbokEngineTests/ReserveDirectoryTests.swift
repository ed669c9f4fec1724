import FolkbokModel
import XCTest

@testable import FolkbokEngine

final class ReserveDirectoryTests: XCTestCase {
    /// 100,000 NRIDs issued through the directory: every one valid, with the facts given, and unique.
    func testHundredThousandIssuedIdentitiesAreValidAndUnique() throws {
        let directory = ReserveDirectory()
        let today = CivilDate(year: 2026, month: 11, day: 23)!
        let dates: [CivilDate?] = [
            CivilDate(year: 1979, month: 8, day: 14), nil, CivilDate(year: 2024, month: 2, day: 29),
        ]
        let sexes: [Sex?] = [.female, .male, nil]
        var seen = Set<String>()
        for i in 0..<100_000 {
            let birth = dates[i % 3], sex = sexes[(i / 3) % 3]
            let (id, key) = try XCTUnwrap(directory.freeNationalReserve(birthDate: birth, sex: sex))
            directory.note(key, PersonRecord(id: id, reserve: ReserveState()))
            XCTAssertTrue(seen.insert(id.value).inserted, "issued twice")
            if i % 97 == 0 {
                let parsed = try IdentityParser.parse(id.value, today: today)
                XCTAssertEqual(parsed, id)
                XCTAssertEqual(parsed.impliedBirthDate, birth)
                XCTAssertEqual(parsed.impliedSex, sex)
            }
        }
        XCTAssertEqual(seen.count, 100_000)
        XCTAssertEqual(directory.count, 100_000)
    }

    /// A directory rebuilt from records (as after a restart) never hands out a known NRID.
    func testFreshDirectorySkipsKnownIdentities() throws {
        let first = ReserveDirectory(), second = ReserveDirectory()
        var issued: [String] = []
        for _ in 0..<10 {
            let (id, key) = try XCTUnwrap(first.freeNationalReserve(birthDate: nil, sex: nil))
            first.note(key, PersonRecord(id: id, reserve: ReserveState()))
            second.note(key, PersonRecord(id: id, reserve: ReserveState()))
            issued.append(id.value)
        }
        let next = try XCTUnwrap(second.freeNationalReserve(birthDate: nil, sex: nil))
        XCTAssertFalse(issued.contains(next.0.value))
    }
}
