import FolkbokAudit
import FolkbokJSON
import FolkbokModel
import XCTest

@testable import FolkbokProtocol

final class AuditEntriesTests: XCTestCase {
    func test_personGet_writesOneFullEntryWithWhoAndWhy() async {
        let h = await ServiceHarness()
        _ = await h.json(
            #"{"id":0,"method":"session.open","params":{"customer":"region-ext","purpose":"care","contract":"normal","user":"nurse-7"}}"#
        )
        _ = await h.json(#"{"id":1,"method":"person.get","params":{"id":"19121212-1212","profile":"P2"}}"#)
        let entries = h.audit.all
        XCTAssertEqual(entries.count, 1)
        let e = entries[0]
        XCTAssertEqual(e.customer, "region-ext")
        XCTAssertEqual(e.user, "nurse-7")
        XCTAssertEqual(e.purpose, "care")
        XCTAssertEqual(e.contract, "normal")
        XCTAssertEqual(e.method, "person.get")
        XCTAssertEqual(e.profile, "P2")
        XCTAssertEqual(e.person?.value, "191212121212")
        XCTAssertEqual(e.resolved?.value, "191212121212")
        XCTAssertEqual(e.outcome, .full)
        XCTAssertEqual(e.time, ServiceHarness.now * 1_000_000)
    }

    func test_outcomes_limitedNotFoundForbidden() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        _ = await h.json("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.sekretess)\"}}")
        _ = await h.json(#"{"id":2,"method":"person.get","params":{"id":"197001012389"}}"#)
        _ = await h.json(#"{"id":3,"method":"person.get","params":{"id":"not valid"}}"#)
        _ = await h.open("operator", purpose: nil, contract: nil)
        _ = await h.json(#"{"id":4,"method":"person.get","params":{"id":"191212121212"}}"#)
        XCTAssertEqual(h.audit.all.map(\.outcome), [.limited, .notFound, .forbidden])
        XCTAssertEqual(h.audit.all.last?.customer, "operator")
        XCTAssertNil(h.audit.all[1].resolved)
    }

    func test_getMany_andBatches_oneEntryPerPerson() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        _ = await h.json(#"{"id":1,"method":"person.getMany","params":{"ids":["191212121212","bad","197001012389"]}}"#)
        XCTAssertEqual(h.audit.all.map(\.outcome), [.full, .notFound], "an invalid identity is no person")
        _ = await h.json(
            #"[{"id":1,"method":"person.get","params":{"id":"191212121212"}},{"id":2,"method":"person.get","params":{"id":"191212121212"}},{"method":"person.get","params":{"id":"191212121212"}}]"#
        )
        XCTAssertEqual(h.audit.all.count, 4, "a notification discloses nothing")
    }

    func test_auditFailure_disclosesNothing() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        h.audit.failing.store(true, ordering: .relaxed)
        let answer = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121212"}}"#)
        XCTAssertEqual(answer?.errorCode, 5003)
        XCTAssertNil(answer?["result"])
        let many = await h.send(#"{"id":2,"method":"person.getMany","params":{"ids":["191212121212"]}}"#) ?? ""
        XCTAssertFalse(many.contains("Tolvan"), many)
    }

    /// An access log that is behind (its disk stalls) refuses with 5003 saying so, and the
    /// answer shows nothing; on the fast path and the general one alike.
    func test_auditOverloaded_disclosesNothing_andSaysTheLogIsBehind() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        h.audit.overloaded.store(true, ordering: .relaxed)
        for line in [
            #"{"id":1,"method":"person.get","params":{"id":"191212121212"}}"#,
            #"{"id":1,"method":"person.get","params":{"id":"191212121212","view":"record"}}"#,
        ] {
            let answer = await h.json(line)
            XCTAssertEqual(answer?.errorCode, 5003, line)
            XCTAssertNil(answer?["result"])
            XCTAssertEqual(answer?["error"]?["message"], .string(AuditError.overloaded.message), line)
        }
        h.audit.overloaded.store(false, ordering: .relaxed)
        let again = await h.json(#"{"id":2,"method":"person.get","params":{"id":"191212121212"}}"#)
        XCTAssertNotNil(again?["result"])
    }

    func test_auditQuery_isOperatorOnly_andIsItselfLogged() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        _ = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121212"}}"#)
        let refused = await h.json(#"{"id":2,"method":"audit.query","params":{}}"#)
        XCTAssertEqual(refused?.errorCode, 4003)
        _ = await h.open("operator", purpose: nil, contract: nil)
        let page = await h.json(
            #"{"id":3,"method":"audit.query","params":{"person":"191212121212","from":"2026-11-23","to":"2026-11-23"}}"#
        )
        let entries = page?["result"]?["entries"]?.arrayValue ?? []
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["time"], .string("2026-11-23T12:00:00.000000Z"))
        XCTAssertEqual(entries.first?["person"]?["value"], .string("191212121212"))
        XCTAssertEqual(entries.first?["outcome"], .string("full"))
        XCTAssertEqual(h.audit.all.last?.method, "audit.query")
        XCTAssertEqual(h.audit.all.last?.customer, "operator")
        let bad = await h.json(#"{"id":4,"method":"audit.query","params":{"from":"yesterday"}}"#)
        XCTAssertEqual(bad?.errorCode, -32602)
    }

    func test_timestamps_roundTrip() {
        for micros: Int64 in [0, 1_795_435_200_123_456, 951_782_400_000_001, -1] {
            XCTAssertEqual(Timestamp.parse(Timestamp.format(micros)), micros)
        }
        XCTAssertEqual(Timestamp.parse("2026-11-23"), 1_795_392_000_000_000)
        XCTAssertNil(Timestamp.parse("2026-11-23T25:00:00Z"))
    }
}
