import FolkbokJSON
import FolkbokModel
import FolkbokProtocol
import FolkbokStats
import XCTest

/// Detailed export rows as JSON.
final class ExportRowJSONTests: XCTestCase {
    private let time =
        Int64(date("2026-11-23").daysSinceEpoch) * 86_400_000_000 + 10 * 3_600_000_000 + 15 * 60_000_000 + 30_123_456
    private let pnr = Identity(kind: .personnummer, value: "191212121212")
    private let local = Identity(kind: .reserve, value: "R-1", issuer: "01")

    private func row(_ person: ExportPerson, user: String? = "anna", outcome: LookupOutcome = .full) -> ExportRow {
        ExportRow(
            time: time, method: .personGet, user: user, purpose: .care, contract: .normal, profile: .P2,
            outcome: outcome, ageBand: .old, sex: .female, person: person)
    }

    private func json(_ r: ExportRow) -> String {
        var w = JSONWriter()
        r.write(into: &w)
        return text(w.bytes)
    }

    func test_json_identified_andPseudonymised() {
        XCTAssertEqual(
            json(row(.identity(pnr))),
            #"{"time":"2026-11-23T10:15:30.123456Z","method":"person.get","user":"anna","#
                + #""purpose":"care","contract":"normal","profile":"P2","outcome":"full","ageBand":"80+","sex":"F","#
                + #""person":{"kind":"personnummer","value":"191212121212"}}"#)
        XCTAssertTrue(
            json(row(.identity(local))).hasSuffix(#""person":{"kind":"reserve","value":"R-1","issuer":"01"}}"#))
        XCTAssertTrue(
            json(row(.pseudonym("0123456789abcdef"), user: nil, outcome: .limited))
                .hasSuffix(
                    #""user":null,"purpose":"care","contract":"normal","profile":"P2","outcome":"limited","ageBand":"unknown","sex":"unknown","person":"0123456789abcdef"}"#
                ))
        XCTAssertTrue(json(row(.none)).hasSuffix(#""person":null}"#))
    }
}
