import FolkbokDemo
import FolkbokJSON
import FolkbokModel
import XCTest

@testable import FolkbokProtocol

/// The P4 keys in NDJSON: `fullView` writes them (only for records with details), the decoder
/// reads them back unchanged, absent or null means unknown, bad values are rejected naming the
/// key and never the value, and `history` is never read from an import.
final class DetailsNDJSONTests: XCTestCase {
    private let today = CivilDate(year: 2026, month: 12, day: 7)!

    private func decode(_ text: String) throws -> PersonRecord {
        try RecordDecoder.decode(try JSONParser.parse(text), today: today)
    }

    private func base(_ i: Int) -> PersonRecord {
        var r = PersonRecord(id: Identity(kind: .personnummer, value: "191212121212"))
        r.name = PersonName(given: "Tolvan Åke", callName: "Tolvan", middle: nil, surname: "Tolvansson")
        r.birthDate = CivilDate(year: 1912, month: 12, day: 12)
        r.sex = .male
        r.county = "01"
        r.municipality = "0180"
        r.status = PersonStatus(state: .deregistered, date: RegisterDate(iso: "2001-05"), reason: .UV)
        r.details = P4Samples.details(i)
        return r
    }

    func testFullViewRoundTripsEveryDetailShape() throws {
        var withDetails = 0
        for i in 0..<60 {
            let r = base(i)
            let line = String(decoding: RecordEncoder.fullView(r), as: UTF8.self)
            XCTAssertEqual(line.contains("\"civilStatus\""), r.details != nil, line)
            XCTAssertEqual(try decode(line), r, line)
            if r.details != nil { withDetails += 1 }
        }
        XCTAssertGreaterThan(withDetails, 10)
    }

    func testIncompleteStatusDatesAreReadAndWritten() throws {
        let line = String(decoding: RecordEncoder.fullView(base(1)), as: UTF8.self)
        XCTAssertTrue(line.contains("\"date\":\"2001-05\""), line)
    }

    func testNullAndAbsentMeanUnknown() throws {
        let id = "{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121212\"}"
        XCTAssertNil(try decode(id + "}").details)
        XCTAssertNil(
            try decode(
                id
                    + ",\"civilStatus\":null,\"citizenships\":[],\"birthPlace\":null,\"immigrationDate\":null,\"relations\":null,\"referredTo\":null}"
            ).details)
        let r = try decode(
            id
                + ",\"civilStatus\":{\"code\":\"Ä\",\"date\":\"1999\"},\"referredTo\":{\"kind\":\"personnummer\",\"value\":\"194911172296\"}}"
        )
        XCTAssertEqual(r.details?.civilStatus, PersonDetails.CivilStatus(code: "Ä", date: RegisterDate(iso: "1999")))
        XCTAssertEqual(r.details?.referredTo?.value, "194911172296")
    }

    func testHistoryIsNeverReadFromAnImport() throws {
        let r = try decode(
            "{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121212\"},\"history\":[{\"field\":\"municipality\",\"value\":\"0180\",\"until\":\"2020-01-01\"}]}"
        )
        XCTAssertEqual(r.history, [])
    }

    func testBadValuesAreRejectedNamingTheKeyNotTheValue() {
        let id = "{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121212\"},"
        let cases: [(String, String)] = [
            ("\"civilStatus\":{\"code\":\"XQ\"}}", "civilStatus.code"),
            ("\"civilStatus\":\"G\"}", "civilStatus"),
            ("\"civilStatus\":{\"code\":\"G\",\"date\":\"2023-02-29\"}}", "civilStatus.date"),
            ("\"citizenships\":{\"country\":\"SE\"}}", "citizenships"),
            ("\"citizenships\":[{\"date\":\"2001\"}]}", "citizenships"),
            ("\"birthPlace\":{\"county\":\"01\",\"country\":\"FI\"}}", "birthPlace"),
            ("\"birthPlace\":{}}", "birthPlace"),
            ("\"immigrationDate\":\"1990-13\"}", "immigrationDate"),
            (
                "\"relations\":[{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121213\"},\"type\":\"MO\"}]}",
                "relations.id"
            ),
            (
                "\"relations\":[{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121212\"},\"type\":\"XX\"}]}",
                "relations.type"
            ),
            ("\"relations\":[{\"type\":\"B\"}]}", "relations.id"),
            ("\"relations\":[{\"id\":{\"kind\":\"birthTime\",\"value\":\"\"},\"type\":\"B\"}]}", "relations.id.value"),
            ("\"referredTo\":{\"kind\":\"personnummer\",\"value\":\"QQQQ\"}}", "referredTo"),
        ]
        for (tail, key) in cases {
            XCTAssertThrowsError(try decode(id + tail), tail) { error in
                let reason = (error as? RecordDecoder.Rejection)?.reason ?? ""
                XCTAssertTrue(reason.contains("\"\(key)"), "\(tail): \(reason)")
                XCTAssertFalse(
                    reason.contains("XQ") || reason.contains("QQQQ") || reason.contains("191212121213"), reason)
            }
        }
    }
}
