import FolkbokModel
import XCTest

@testable import FolkbokAudit

/// `AuditEntry` keeps its caller as one shared object and an answered identity equal to the
/// one asked for without a second copy: what it reads back must not change.
final class AuditEntryTests: XCTestCase {
    let asked = Identity(kind: .personnummer, value: "199001012384")
    let other = Identity(kind: .personnummer, value: "198002022381")

    func entry(resolved: Identity?) -> AuditEntry {
        AuditEntry(
            time: 1, customer: "SE2321000016-0001", user: "u1", purpose: "care", contract: "normal",
            method: "person.get", profile: "P3", person: asked, resolved: resolved, outcome: .full)
    }

    func test_resolved_readsBackWhatWasGiven() {
        XCTAssertEqual(entry(resolved: asked).resolved, asked)
        XCTAssertEqual(entry(resolved: other).resolved, other)
        XCTAssertNil(entry(resolved: nil).resolved)
        XCTAssertNotEqual(entry(resolved: asked), entry(resolved: nil), "answered and not answered differ")
        let noneAsked = AuditEntry(
            time: 1, customer: "c", user: nil, purpose: nil, contract: nil, method: "audit.query", profile: nil,
            person: nil, resolved: other, outcome: nil)
        XCTAssertEqual(noneAsked.resolved, other)
    }

    func test_callers_compareByValue_andKeepTheFrozenCustomerKey() {
        let a = entry(resolved: asked)
        let b = entry(resolved: asked)
        XCTAssertFalse(a.caller === b.caller)
        XCTAssertEqual(a, b, "two callers with the same fields are equal")
        XCTAssertEqual(a.customer, "SE2321000016-0001")
        XCTAssertEqual(a.user, "u1")
        XCTAssertEqual(a.profile, "P3")
        // FNV-1a 64 over "C" + the id, computed here byte by byte.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in Array("CSE2321000016-0001".utf8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        XCTAssertEqual(a.caller.customerKey, h)
        XCTAssertEqual(AuditKey.customer("SE2321000016-0001"), h)
    }

    func test_aSessionsGetCallers_matchACallerMadeFromTheSession() {
        let customer = Customer(
            id: "SE2321000016-0001", name: "Region", category: .region, region: "01", contracts: [.normal],
            purposes: [.care], dataProcessingAgreement: true)
        let session = Session(customer: customer, purpose: .care, contract: .normal, user: "u1")
        for profile in [nil] + Profile.allCases.map(Optional.some) {
            XCTAssertEqual(
                session.getCaller(profile), AuditCaller(session, method: "person.get", profile: profile),
                String(describing: profile))
            XCTAssertTrue(session.getCaller(profile) === session.getCaller(profile), "made once per session")
        }
    }
}
