import FolkbokModel
import XCTest

final class NationalReserveIssuerTests: XCTestCase {
    func test_make_hundredThousandAcrossDatesAndSexes_allValidUniqueAndTrueToTheirFacts() throws {
        let combos: [(CivilDate?, Sex?)] = [
            (CivilDate(year: 1979, month: 8, day: 14), .female),
            (CivilDate(year: 1979, month: 8, day: 14), .male),
            (CivilDate(year: 2024, month: 2, day: 29), nil),
            (nil, .male),
            (nil, nil),
        ]
        var seen = Set<String>()
        for (date, sex) in combos {
            for sequence in UInt64(0)..<20_000 {
                let identity = try XCTUnwrap(NationalReserveIssuer.make(birthDate: date, sex: sex, sequence: sequence))
                XCTAssertEqual(try IdentityParser.parse(identity.value, today: today), identity)
                XCTAssertEqual(identity.impliedBirthDate, date)
                XCTAssertEqual(identity.impliedSex, sex)
                seen.insert(identity.value)
            }
        }
        XCTAssertEqual(seen.count, 100_000)
    }

    func test_make_firstIssue_isTheProtocolsFirstVector() {
        let identity = NationalReserveIssuer.make(
            birthDate: CivilDate(year: 1979, month: 8, day: 14), sex: .female, sequence: 0)
        XCTAssertEqual(identity, Identity(kind: .reserve, value: "22790814AA01", issuer: "national"))
    }

    func test_make_lastSequenceWithinCapacity_validAndPastCapacityNil() throws {
        let combos: [(CivilDate?, Sex?)] = [
            (CivilDate(year: 1800, month: 1, day: 1), .male), (CivilDate(year: 2026, month: 11, day: 23), nil),
            (nil, .female), (nil, nil),
        ]
        for (date, sex) in combos {
            let capacity = NationalReserveIssuer.capacity(birthDateKnown: date != nil, sexKnown: sex != nil)
            let last = try XCTUnwrap(NationalReserveIssuer.make(birthDate: date, sex: sex, sequence: capacity - 1))
            XCTAssertEqual(try IdentityParser.parse(last.value, today: today), last)
            XCTAssertEqual(last.impliedBirthDate, date)
            XCTAssertEqual(last.impliedSex, sex)
            XCTAssertNil(NationalReserveIssuer.make(birthDate: date, sex: sex, sequence: capacity))
            XCTAssertNil(NationalReserveIssuer.make(birthDate: date, sex: sex, sequence: .max))
        }
    }

    func test_make_latestSupportedYear_decodesBackAtEveryK() throws {
        let date = CivilDate(year: 2099, month: 12, day: 31)!
        let later = CivilDate(year: 2100, month: 1, day: 1)!
        let perK = NationalReserveIssuer.capacity(birthDateKnown: true, sexKnown: true) / 26
        for k in UInt64(0)..<26 {
            let identity = try XCTUnwrap(NationalReserveIssuer.make(birthDate: date, sex: .female, sequence: k * perK))
            XCTAssertEqual(try IdentityParser.parse(identity.value, today: later), identity)
            XCTAssertEqual(identity.impliedBirthDate, date)
        }
    }

    func test_make_birthYearOutsideSupportedRange_isNil() {
        XCTAssertNil(
            NationalReserveIssuer.make(birthDate: CivilDate(year: 1799, month: 12, day: 31), sex: .male, sequence: 0))
        XCTAssertNil(
            NationalReserveIssuer.make(birthDate: CivilDate(year: 2100, month: 1, day: 1), sex: nil, sequence: 0))
    }

    func test_capacity_matchesTheLayout() {
        XCTAssertEqual(NationalReserveIssuer.capacity(birthDateKnown: true, sexKnown: true), 26 * 441 * 5)
        XCTAssertEqual(NationalReserveIssuer.capacity(birthDateKnown: true, sexKnown: false), 26 * 441 * 21)
        XCTAssertEqual(NationalReserveIssuer.capacity(birthDateKnown: false, sexKnown: true), 160_000 * 441 * 5)
        XCTAssertEqual(NationalReserveIssuer.capacity(birthDateKnown: false, sexKnown: false), 160_000 * 441 * 21)
    }
}
