import FolkbokAudit
import FolkbokModel
import XCTest

@testable import FolkbokStats

/// The event's dimensions, and the rule that a limited answer says nothing more.
final class LookupEventTests: XCTestCase {
    private let region = Customer(id: "SE2321000016-0001", name: "R", category: .region, region: "01")
    private let municipality = Customer(
        id: "SE2120000001-0180", name: "M", category: .municipality, municipality: "0180")
    private let provider = Customer(id: "SE5561234567-0001", name: "P", category: .private)
    private let op = Customer(id: "operator", name: "O", category: .operator)
    private let noon = Int64(date("2026-11-23").daysSinceEpoch) * 86_400_000_000 + 12 * 3_600_000_000 + 5

    func test_init_outcomeNotFull_makesAgeBandAndSexUnknown() {
        for outcome in [LookupOutcome.limited, .notFound, .forbidden] {
            let e = lookup(outcome: outcome, ageBand: .old, sex: .male)
            XCTAssertEqual(e.ageBand, .unknown)
            XCTAssertEqual(e.sex, .unknown)
        }
        let full = lookup(outcome: .full, ageBand: .old, sex: .male)
        XCTAssertEqual(full.ageBand, .old)
        XCTAssertEqual(full.sex, .male)
    }

    func test_initFromSession_takesCustomerRegionUserAndAgeOnTheEventsUTCDate() throws {
        let session = Session(customer: municipality, purpose: .municipal, contract: .normal, user: "kalle")
        let e = try XCTUnwrap(
            LookupEvent(
                session: session, method: .personSearch, profile: .P2, outcome: .full,
                birthDate: date("2008-11-23"), sex: .female, unixMicros: noon))
        XCTAssertEqual(e.customer, "SE2120000001-0180")
        XCTAssertEqual(e.category, .municipality)
        XCTAssertEqual(e.region, "01")
        XCTAssertEqual(e.user, "kalle")
        XCTAssertEqual(e.purpose, .municipal)
        XCTAssertEqual(e.profile, .P2)
        XCTAssertEqual(e.ageBand, .young)
        XCTAssertEqual(e.sex, .female)
        XCTAssertEqual(e.hour, hour("2026-11-23", 12))
    }

    func test_initFromSession_privateProviderHasNoRegion_limitedHidesAgeAndSex() throws {
        let session = Session(customer: provider, purpose: .care, contract: .normal, user: nil)
        let e = try XCTUnwrap(
            LookupEvent(
                session: session, method: .personGet, profile: nil, outcome: .limited,
                birthDate: date("1950-01-01"), sex: .male, unixMicros: noon))
        XCTAssertNil(e.region)
        XCTAssertNil(e.user)
        XCTAssertEqual(e.ageBand, .unknown)
        XCTAssertEqual(e.sex, .unknown)
    }

    func test_initFromSession_operatorIsNeverCounted() {
        let session = Session(customer: op, purpose: nil, contract: nil, user: nil)
        XCTAssertNil(
            LookupEvent(
                session: session, method: .personGet, profile: nil, outcome: .forbidden, birthDate: nil, sex: nil,
                unixMicros: noon))
        XCTAssertNil(SessionEvent(session: session, openedMicros: 0, endedMicros: noon))
    }

    func test_sessionEvent_fromSession_lengthAndHour() throws {
        let session = Session(customer: region, purpose: .care, contract: .normal, user: "u")
        let e = try XCTUnwrap(SessionEvent(session: session, openedMicros: noon - 90_500_000, endedMicros: noon))
        XCTAssertEqual(e.seconds, 90.5)
        XCTAssertEqual(e.hour, hour("2026-11-23", 12))
        XCTAssertEqual(SessionEvent(customer: "c", user: nil, hour: e.hour, seconds: -3).seconds, 0)
        XCTAssertEqual(SessionEvent(customer: "c", user: nil, hour: e.hour, seconds: .nan).seconds, 0)
    }

    func test_statsHour_fromMicros() {
        XCTAssertEqual(StatsHour(unixMicros: 0).index, 0)
        XCTAssertEqual(StatsHour(unixMicros: 3_600_000_000 - 1).index, 0)
        XCTAssertEqual(StatsHour(unixMicros: 3_600_000_000).index, 1)
        XCTAssertEqual(StatsHour(unixMicros: -5).index, 0)
        XCTAssertEqual(hour("2026-11-23", 23).date, date("2026-11-23"))
        XCTAssertEqual(hour("2026-11-23", 23).hourOfDay, 23)
    }

    func test_auditOutcome_mapsToTheStatisticsOutcomeOfTheSameName() {
        for outcome in AuditOutcome.allCases {
            XCTAssertEqual(LookupOutcome(outcome).rawValue, outcome.wireName)
        }
    }
}
