import FolkbokJSON
import FolkbokModel
import XCTest
@testable import FolkbokProtocol

/// Profiles P4 and P5: only a customer whose config lists them may ask (else 4003 before any
/// lookup, nothing logged), they carry the P4 keys and P5's history, and a limited record stays
/// exactly the limited keys.
final class ProfileGrantTests: XCTestCase {
    func testUngrantedCustomer_getsForbiddenBeforeAnyLookup_andNothingIsLogged() async {
        let h = await ServiceHarness()
        _ = await h.open("muni", purpose: "hr", contract: "normal")
        let before = h.audit.all.count
        let calls = [
            "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\",\"profile\":\"P4\"}}",
            "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\",\"profile\":\"P5\",\"view\":\"fhir\"}}",
            "{\"id\":1,\"method\":\"person.getMany\",\"params\":{\"ids\":[\"\(ServiceHarness.plain)\",\"\(ServiceHarness.skyddad)\"],\"profile\":\"P5\"}}",
            "{\"id\":1,\"method\":\"extract.create\",\"params\":{\"region\":\"01\",\"profile\":\"P4\"}}",
        ]
        for call in calls {
            let answer = await h.json(call)
            XCTAssertEqual(answer?.errorCode, 4003, call)
        }
        XCTAssertEqual(h.audit.all.count, before, "a refusal for the profile discloses and logs nothing")
    }

    func testGrantedCustomer_getsTheP4KeysAndP5History() async throws {
        let h = await ServiceHarness()
        _ = await h.open("region-ext", purpose: "care", contract: "normal")
        let p4 = await h.json("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\",\"profile\":\"P4\"}}")
        let record = try XCTUnwrap(p4?["result"]?.objectValue)
        XCTAssertEqual(record["civilStatus"]?.objectValue?["code"], .string("G"))
        XCTAssertEqual(record["civilStatus"]?.objectValue?["date"], .string("1990-05"))
        XCTAssertEqual(record["citizenships"]?.arrayValue?.count, 1)
        XCTAssertEqual(record["birthPlace"], .null)
        XCTAssertEqual(record["relations"], .array([]))
        XCTAssertEqual(record["referredTo"], .null)
        XCTAssertNil(record["history"])
        let p5 = await h.json("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\",\"profile\":\"P5\"}}")
        let history = try XCTUnwrap(p5?["result"]?.objectValue?["history"]?.arrayValue)
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history[0].objectValue?["field"], .string("municipality"))
        XCTAssertEqual(history[0].objectValue?["value"], .string("0114"))
        XCTAssertEqual(history[0].objectValue?["until"], .string("2025-01-02"))
        let plain = await h.json("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\"}}")
        XCTAssertNil(plain?["result"]?.objectValue?["civilStatus"], "without a profile the answer is up to P3")
        for number in [ServiceHarness.sekretess, ServiceHarness.skyddad] {
            for profile in ["P4", "P5"] {
                let limited = await h.json("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(number)\",\"profile\":\"\(profile)\"}}")
                let keys = limited?["result"]?.objectValue?.keys
                XCTAssertEqual(keys, number == ServiceHarness.skyddad ? ["id", "name", "protection", "limited"]
                                                                     : ["id", "name", "county", "sex", "protection", "limited"])
            }
        }
    }
}
