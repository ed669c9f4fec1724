import FolkbokJSON
import FolkbokModel
import FolkbokProtocol
import FolkbokStats
import XCTest

/// The exact answers of stats.open (JSON and CSV, with suppression) and stats.get.
final class StatsAnswerTests: XCTestCase {
    private let day = hour("2026-11-23", 10)

    /// person.get: 4, 5, 6 and 1 lookups in regions "01", "03", "04", private.
    private func counters() -> StatsCounters {
        var c = StatsCounters()
        c.record(lookup(region: "01"), count: 4)
        c.record(lookup(customer: "r3", region: "03"), count: 5)
        c.record(lookup(customer: "r4", region: "04", user: nil), count: 6)
        c.record(lookup(customer: "p", category: .private, region: nil))
        c.record(lookup(.personSearch, region: "01", at: hour("2026-11-24", 3)), count: 12)
        return c
    }

    private func open(_ format: StatsFormat = .json, by: [StatsDimension] = [.method, .region]) -> StatsResult {
        StatsQuery(method: .open, from: date("2026-11-23"), to: date("2026-11-24"), by: by, format: format)
            .evaluate(over: [counters()], customer: nil)
    }

    func test_openAnswer_suppressesBelowTheThreshold_exactJSON() {
        XCTAssertEqual(
            text(open().openAnswer(threshold: .default)),
            #"{"rows":["#
                + #"{"period":"2026-11-23","method":"person.get","region":null,"lookups":null,"suppressed":true},"#
                + #"{"period":"2026-11-23","method":"person.get","region":"01","lookups":null,"suppressed":true},"#
                + #"{"period":"2026-11-23","method":"person.get","region":"03","lookups":5},"#
                + #"{"period":"2026-11-23","method":"person.get","region":"04","lookups":6},"#
                + #"{"period":"2026-11-24","method":"person.search","region":"01","lookups":12}"#
                + #"],"threshold":5}"#)
    }

    func test_suppression_atThresholdMinusOne_threshold_andPlusOne() throws {
        for threshold in [UInt64(3), 5, 7, 12] {
            let t = try XCTUnwrap(SuppressionThreshold(threshold))
            for n in [threshold - 1, threshold, threshold + 1] {
                var c = StatsCounters()
                c.record(lookup(), count: n)
                let answer = StatsQuery(method: .open, from: date("2026-11-23"), to: date("2026-11-23"))
                    .evaluate(over: [c], customer: nil).openAnswer(threshold: t)
                let lookups = n < threshold ? #""lookups":null,"suppressed":true"# : #""lookups":\#(n)"#
                XCTAssertEqual(
                    text(answer), #"{"rows":[{"period":"2026-11-23",\#(lookups)}],"threshold":\#(threshold)}"#)
            }
        }
        XCTAssertTrue(SuppressionThreshold.default.suppresses(1))
        XCTAssertFalse(SuppressionThreshold.default.suppresses(0))
    }

    func test_threshold_belowThreeIsRefused() {
        XCTAssertNil(SuppressionThreshold(2))
        XCTAssertNil(SuppressionThreshold(0))
        XCTAssertEqual(SuppressionThreshold(3)?.value, 3)
        XCTAssertEqual(SuppressionThreshold.default.value, 5)
    }

    func test_openAnswer_csv_exactly() {
        let expected =
            "period,method,region,lookups\n"
            + "2026-11-23,person.get,,\n"
            + "2026-11-23,person.get,01,\n"
            + "2026-11-23,person.get,03,5\n"
            + "2026-11-23,person.get,04,6\n"
            + "2026-11-24,person.search,01,12\n"
        XCTAssertEqual(open(.csv).csv(threshold: .default), expected)
        let answer = open(.csv).openAnswer(threshold: .default)
        XCTAssertEqual(try JSONParser.parse(answer), .object(JSONObject([("csv", .string(expected))])))
    }

    func test_csv_withoutBy_andWithoutRows() {
        XCTAssertEqual(open(.csv, by: []).csv(threshold: .default), "period,lookups\n2026-11-23,16\n2026-11-24,12\n")
        let none = StatsQuery(method: .open, from: date("2020-01-01"), to: date("2020-01-02"), by: [.sex], format: .csv)
            .evaluate(over: [counters()], customer: nil)
        XCTAssertEqual(text(none.openAnswer(threshold: .default)), #"{"csv":"period,sex,lookups\n"}"#)
    }

    func test_getAnswer_noSuppression_withSessions_exactJSON() {
        var c = counters()
        c.record(SessionEvent(customer: "SE2321000016-0001", user: "anna", hour: day, seconds: 61.5))
        c.record(SessionEvent(customer: "SE2321000016-0001", user: nil, hour: day, seconds: 2))
        let q = StatsQuery(
            method: .get, from: date("2026-11-23"), to: date("2026-11-24"), by: [.user, .profile], sessions: true)
        let result = q.evaluate(over: [c], customer: "SE2321000016-0001")
        XCTAssertEqual(
            text(result.getAnswer()),
            #"{"rows":["#
                + #"{"period":"2026-11-23","user":"anna","profile":null,"lookups":4},"#
                + #"{"period":"2026-11-24","user":"anna","profile":null,"lookups":12}],"#
                + #""sessions":[{"period":"2026-11-23","user":null,"sessions":1,"seconds":2},"#
                + #"{"period":"2026-11-23","user":"anna","sessions":1,"seconds":62}]}"#)
        var noSessions = q
        noSessions.sessions = false
        XCTAssertEqual(text(noSessions.evaluate(over: [c], customer: "nobody").getAnswer()), #"{"rows":[]}"#)
    }

    func test_writeRow_isTheUnsuppressedRow() {
        let result = open()
        var w = JSONWriter()
        result.writeRow(at: 0, into: &w)
        XCTAssertEqual(text(w.bytes), #"{"period":"2026-11-23","method":"person.get","region":null,"lookups":1}"#)
        XCTAssertEqual(result.rowCount, 5)
    }

    func test_answers_areValidJSON_withAwkwardStrings() throws {
        var c = StatsCounters()
        c.record(lookup(user: "a\"b,c\nd"))
        let q = StatsQuery(method: .get, from: date("2026-11-23"), to: date("2026-11-23"), by: [.user])
        let result = q.evaluate(over: [c], customer: "SE2321000016-0001")
        let parsed = try JSONParser.parse(result.getAnswer())
        XCTAssertEqual(parsed.objectValue?["rows"]?.arrayValue?.first?.objectValue?["user"], .string("a\"b,c\nd"))
        XCTAssertEqual(result.csv(threshold: nil), "period,user,lookups\n2026-11-23,\"a\"\"b,c\nd\",1\n")
    }
}
