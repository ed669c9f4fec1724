import FolkbokModel
import FolkbokStats
import XCTest

/// Detailed export rows: whom they name, and as CSV (their JSON: FolkbokProtocolTests).
final class ExportRowTests: XCTestCase {
    private let time =
        Int64(date("2026-11-23").daysSinceEpoch) * 86_400_000_000 + 10 * 3_600_000_000 + 15 * 60_000_000 + 30_123_456
    private let pnr = Identity(kind: .personnummer, value: "191212121212")
    private let local = Identity(kind: .reserve, value: "R-1", issuer: "01")

    private func row(_ person: ExportPerson, user: String? = "anna", outcome: LookupOutcome = .full) -> ExportRow {
        ExportRow(
            time: time, method: .personGet, user: user, purpose: .care, contract: .normal, profile: .P2,
            outcome: outcome, ageBand: .old, sex: .female, person: person)
    }

    func test_person_answeredElseAsked_pseudonymisedOrIdentified() {
        let p = Pseudonymiser()
        XCTAssertEqual(
            ExportPerson.of(kind: .identified, answered: pnr, asked: local, pseudonymiser: p), .identity(pnr))
        XCTAssertEqual(
            ExportPerson.of(kind: .identified, answered: nil, asked: local, pseudonymiser: p), .identity(local))
        XCTAssertEqual(
            ExportPerson.of(kind: .pseudonymised, answered: pnr, asked: nil, pseudonymiser: p),
            .pseudonym(p.pseudonym(of: pnr)))
        XCTAssertEqual(
            ExportPerson.of(kind: .pseudonymised, answered: nil, asked: nil, pseudonymiser: p), ExportPerson.none)
    }

    func test_csv_pseudonymised_exactly() {
        let csv = ExportCSV(kind: .pseudonymised)
        XCTAssertEqual(
            csv.document([row(.pseudonym("0123456789abcdef")), row(.none, user: "x,y", outcome: .notFound)]),
            "time,method,user,purpose,contract,profile,outcome,ageBand,sex,person\n"
                + "2026-11-23T10:15:30.123456Z,person.get,anna,care,normal,P2,full,80+,F,0123456789abcdef\n"
                + "2026-11-23T10:15:30.123456Z,person.get,\"x,y\",care,normal,P2,not_found,unknown,unknown,\n")
    }

    func test_csv_identified_exactly() {
        let csv = ExportCSV(kind: .identified)
        XCTAssertEqual(
            csv.document([row(.identity(pnr)), row(.identity(local), user: nil)]),
            "time,method,user,purpose,contract,profile,outcome,ageBand,sex,person,personKind,personIssuer\n"
                + "2026-11-23T10:15:30.123456Z,person.get,anna,care,normal,P2,full,80+,F,191212121212,personnummer,\n"
                + "2026-11-23T10:15:30.123456Z,person.get,,care,normal,P2,full,80+,F,R-1,reserve,01\n")
    }
}
