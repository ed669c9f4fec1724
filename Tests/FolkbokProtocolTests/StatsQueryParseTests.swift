import FolkbokJSON
import FolkbokModel
import FolkbokProtocol
import FolkbokStats
import XCTest

/// Every -32602 rule of the usage statistics, each naming the param; and the defaults.
final class StatsQueryParseTests: XCTestCase {
    private let today = date("2026-11-23")

    private func params(_ json: String) -> JSONObject {
        try! JSONParser.parse(json).objectValue!
    }

    private func parse(_ json: String, _ method: StatsMethod = .open) throws(StatsParamError) -> StatsQuery {
        try StatsQuery.parse(params(json), for: method, today: today)
    }

    private func failure(_ json: String, _ method: StatsMethod = .open) -> StatsParamError? {
        do {
            _ = try parse(json, method)
            return nil
        } catch {
            return error
        }
    }

    private func assertRejected(
        _ json: String, _ method: StatsMethod = .open, param: String, saying words: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let e = failure(json, method) else { return XCTFail("\(json) was accepted", file: file, line: line) }
        XCTAssertEqual(e.parameter, param, json, file: file, line: line)
        XCTAssertTrue(e.message.contains("\"\(param)\""), "\(e.message) does not name \(param)", file: file, line: line)
        XCTAssertTrue(e.message.contains(words), "\(e.message) does not say \(words)", file: file, line: line)
    }

    func test_defaults_last30DaysByDayInJSON() throws {
        let q = try parse("{}")
        XCTAssertEqual(q.to, today)
        XCTAssertEqual(q.from, date("2026-10-25"))
        XCTAssertEqual(q.to.daysSinceEpoch - q.from.daysSinceEpoch + 1, 30)
        XCTAssertEqual(q.granularity, .day)
        XCTAssertEqual(q.by, [])
        XCTAssertEqual(q.format, .json)
        XCTAssertFalse(q.sessions)
        XCTAssertNil(q.customer)
    }

    func test_defaultFrom_is29DaysBeforeAGivenTo() throws {
        let q = try parse(#"{"to":"2026-03-01"}"#)
        XCTAssertEqual(q.from, date("2026-01-31"))
    }

    func test_everyParamParsed() throws {
        let open = try parse(
            #"{"from":"2026-01-01","to":"2026-12-31","granularity":"month","by":["sex","method"],"format":"csv"}"#)
        XCTAssertEqual(
            open,
            StatsQuery(
                method: .open, from: date("2026-01-01"), to: date("2026-12-31"), granularity: .month,
                by: [.sex, .method], format: .csv))
        let get = try parse(
            #"{"granularity":"hour","by":["user","profile","purpose","contract"],"customer":"c","sessions":true}"#, .get
        )
        XCTAssertEqual(get.granularity, .hour)
        XCTAssertEqual(get.by, [.user, .profile, .purpose, .contract])
        XCTAssertEqual(get.customer, "c")
        XCTAssertTrue(get.sessions)
        let export = try parse(#"{"kind":"identified","by":["user"],"granularity":"year"}"#, .export)
        XCTAssertEqual(export.exportKind, .identified)
        XCTAssertEqual(export.by, [.user])
    }

    func test_nullParams_countAsAbsent() throws {
        let q = try parse(#"{"from":null,"to":null,"granularity":null,"by":null,"format":null}"#)
        XCTAssertEqual(q, try parse("{}"))
    }

    func test_sameDayRange_isAllowed() throws {
        XCTAssertEqual(try parse(#"{"from":"2026-05-05","to":"2026-05-05"}"#).from, date("2026-05-05"))
    }

    func test_toBeforeFrom_isRejected() {
        assertRejected(#"{"from":"2026-05-06","to":"2026-05-05"}"#, param: "to", saying: "before")
        assertRejected(#"{"from":"2026-11-24"}"#, param: "from", saying: "after today")
    }

    func test_malformedDates_areRejected() {
        for bad in [
            "2026-02-30", "2026-13-01", "26-01-01", "2026-1-01", "2026-01-01T00:00:00Z", "", "2026/01/01", "２０２６-01-01",
        ] {
            assertRejected(#"{"from":"\#(bad)"}"#, param: "from", saying: "not a date")
            assertRejected(#"{"to":"\#(bad)"}"#, .get, param: "to", saying: "not a date")
        }
    }

    func test_unknownGranularity_isRejected() {
        assertRejected(#"{"granularity":"week"}"#, param: "granularity", saying: "must be")
        assertRejected(#"{"granularity":"Day"}"#, .get, param: "granularity", saying: "must be")
        assertRejected(#"{"granularity":"hour"}"#, .open, param: "granularity", saying: "not allowed in stats.open")
    }

    func test_byEntries_unknownRepeatedOrNotAllowed_areRejected() {
        assertRejected(#"{"by":["method","colour"]}"#, param: "by", saying: "unknown dimension \"colour\"")
        assertRejected(#"{"by":["customer"]}"#, .get, param: "by", saying: "unknown dimension")
        assertRejected(#"{"by":["region","region"]}"#, param: "by", saying: "more than once")
        for d in ["user", "purpose", "contract", "profile"] {
            assertRejected(#"{"by":["\#(d)"]}"#, .open, param: "by", saying: "may not use \"" + d + "\" in stats.open")
            XCTAssertNoThrow(try parse(#"{"by":["\#(d)"]}"#, .get))
        }
        for d in ["method", "category", "region", "outcome", "ageBand", "sex"] {
            XCTAssertNoThrow(try parse(#"{"by":["\#(d)"]}"#, .open))
        }
    }

    func test_badFormat_isRejected() {
        assertRejected(#"{"format":"xml"}"#, param: "format", saying: "\"json\" or \"csv\"")
        assertRejected(#"{"format":"CSV"}"#, param: "format", saying: "\"json\" or \"csv\"")
    }

    func test_wrongTypes_areRejected() {
        assertRejected(#"{"from":20260101}"#, param: "from", saying: "must be a date string")
        assertRejected(#"{"to":true}"#, param: "to", saying: "must be a date string")
        assertRejected(#"{"granularity":1}"#, param: "granularity", saying: "must be a string")
        assertRejected(#"{"by":"method"}"#, param: "by", saying: "must be an array")
        assertRejected(#"{"by":[1]}"#, param: "by", saying: "must be an array of dimension names")
        assertRejected(#"{"by":[null]}"#, param: "by", saying: "must be an array of dimension names")
        assertRejected(#"{"format":["csv"]}"#, param: "format", saying: "must be a string")
        assertRejected(#"{"customer":7}"#, .get, param: "customer", saying: "must be a string")
        assertRejected(#"{"sessions":"yes"}"#, .get, param: "sessions", saying: "true or false")
        assertRejected(#"{"kind":{}}"#, .export, param: "kind", saying: "must be a string")
    }

    func test_unknownParams_areRejected_perMethod() {
        assertRejected(#"{"colour":"red"}"#, param: "colour", saying: "unknown param")
        assertRejected(
            #"{"customer":"c"}"#, .open, param: "customer", saying: "unknown param \"customer\" for stats.open")
        assertRejected(#"{"sessions":true}"#, .open, param: "sessions", saying: "unknown param")
        assertRejected(#"{"format":"csv"}"#, .get, param: "format", saying: "unknown param \"format\" for stats.get")
        assertRejected(#"{"kind":"aggregated","sessions":true}"#, .export, param: "sessions", saying: "unknown param")
        assertRejected(#"{"kind":"aggregated"}"#, .get, param: "kind", saying: "unknown param")
        let e = failure(#"{"a b \"c\"":1}"#)
        XCTAssertEqual(e?.message, "unknown param (name not shown) for stats.open")
    }

    func test_exportKind_requiredAndKnown() {
        assertRejected("{}", .export, param: "kind", saying: "required")
        assertRejected(#"{"kind":"everything"}"#, .export, param: "kind", saying: "must be")
    }

    func test_customerScope_forSessions() throws {
        let region = Customer(id: "R", name: "R", category: .region, region: "01")
        let op = Customer(id: "operator", name: "O", category: .operator)
        let mine = Session(customer: region, purpose: .care, contract: .normal, user: nil)
        let operations = Session(customer: op, purpose: nil, contract: nil, user: nil)
        XCTAssertEqual(try parse("{}", .get).customer(for: mine), "R")
        XCTAssertEqual(try parse(#"{"customer":"R"}"#, .get).customer(for: mine), "R")
        XCTAssertNil(try parse(#"{"customer":"X"}"#, .get).customer(for: mine))
        XCTAssertEqual(try parse(#"{"customer":"X"}"#, .get).customer(for: operations), "X")
        XCTAssertThrowsError(try parse("{}", .get).customer(for: operations)) { error in
            XCTAssertEqual((error as? StatsParamError)?.parameter, "customer")
        }
    }
}
