import FolkbokJSON
import FolkbokModel
import Foundation
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
        let p4 = await h.json(
            "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\",\"profile\":\"P4\"}}")
        let record = try XCTUnwrap(p4?["result"]?.objectValue)
        XCTAssertEqual(record["civilStatus"]?.objectValue?["code"], .string("G"))
        XCTAssertEqual(record["civilStatus"]?.objectValue?["date"], .string("1990-05"))
        XCTAssertEqual(record["citizenships"]?.arrayValue?.count, 1)
        XCTAssertEqual(record["birthPlace"], .null)
        XCTAssertEqual(record["relations"], .array([]))
        XCTAssertEqual(record["referredTo"], .null)
        XCTAssertNil(record["history"])
        let p5 = await h.json(
            "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\",\"profile\":\"P5\"}}")
        let history = try XCTUnwrap(p5?["result"]?.objectValue?["history"]?.arrayValue)
        XCTAssertEqual(history.count, 1)
        XCTAssertEqual(history[0].objectValue?["field"], .string("municipality"))
        XCTAssertEqual(history[0].objectValue?["value"], .string("0114"))
        XCTAssertEqual(history[0].objectValue?["until"], .string("2025-01-02"))
        let plain = await h.json("{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(ServiceHarness.plain)\"}}")
        XCTAssertNil(plain?["result"]?.objectValue?["civilStatus"], "without a profile the answer is up to P3")
        for number in [ServiceHarness.sekretess, ServiceHarness.skyddad] {
            for profile in ["P4", "P5"] {
                let limited = await h.json(
                    "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(number)\",\"profile\":\"\(profile)\"}}")
                let keys = limited?["result"]?.objectValue?.keys
                XCTAssertEqual(
                    keys,
                    number == ServiceHarness.skyddad
                        ? ["id", "name", "protection", "limited"]
                        : ["id", "name", "county", "sex", "protection", "limited"])
            }
        }
    }
}

/// P5 history through `admin.import`: a second import that moves a person records the old
/// address and municipality (dated today UTC); an identical re-import records nothing.
final class ImportHistoryTests: XCTestCase {
    private func file(_ records: [PersonRecord]) throws -> String {
        let path = NSTemporaryDirectory() + "folkbok-history-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ndjson"
        var bytes: [UInt8] = []
        for r in records { bytes += RecordEncoder.fullView(r) + [0x0A] }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testImportReplacingAnAddress_recordsHistory() async throws {
        let h = await ServiceHarness()
        _ = await h.open("operator", purpose: nil, contract: nil)
        var moved = ServiceHarness.person(ServiceHarness.plain, .none)
        moved.history = []
        moved.address?.street = "Nya gatan 3"
        moved.municipality = "0114"
        for _ in 0..<2 {
            let path = try file([moved])
            defer { unlink(path) }
            let answer = await h.json(
                #"{"id":1,"method":"admin.import","params":{"path":"\#(path)","region":"01","mode":"delta"}}"#)
            XCTAssertEqual(answer?["result"]?["updated"], .number("1"), "\(String(describing: answer))")
        }
        let found = await h.service.engine.records(for: [IdentityKey(moved.id)!])
        let stored = try XCTUnwrap(found.first ?? nil)
        let today = CivilDate(unixSeconds: ServiceHarness.now)
        let old = ServiceHarness.person(ServiceHarness.plain, .none)
        XCTAssertEqual(
            stored.history,
            [
                HistoryEntry(value: .address(old.address!), until: today),
                HistoryEntry(value: .municipality("0180"), until: today),
            ] + old.history, "the second, identical import added nothing")
    }
}

/// The FHIR view at P4: `maritalStatus` from the civil status code, citizenship as HL7's
/// `patient-citizenship` extension; neither without P4, nor in a limited record.
final class FHIRDetailsTests: XCTestCase {
    func testP4Patient_hasMaritalStatusAndCitizenship() async throws {
        let h = await ServiceHarness()
        _ = await h.open("region-ext", purpose: "care", contract: "normal")
        let answer = await h.json(
            #"{"id":1,"method":"person.get","params":{"id":"191212121212","view":"fhir","profile":"P4"}}"#)
        let patient = try XCTUnwrap(answer?["result"]?.objectValue)
        let coding = patient["maritalStatus"]?.objectValue?["coding"]?.arrayValue?.first?.objectValue
        XCTAssertEqual(coding?["system"], .string("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus"))
        XCTAssertEqual(coding?["code"], .string("M"))
        XCTAssertEqual(patient["maritalStatus"]?.objectValue?["text"], .string("G"))
        let ext = try XCTUnwrap(patient["extension"]?.arrayValue?.first?.objectValue)
        XCTAssertEqual(ext["url"], .string("http://hl7.org/fhir/StructureDefinition/patient-citizenship"))
        let code = ext["extension"]?.arrayValue?.first?.objectValue?["valueCodeableConcept"]?.objectValue?["coding"]?
            .arrayValue?.first?.objectValue
        XCTAssertEqual(code?["code"], .string("SE"))
        let p3 = await h.json(
            #"{"id":1,"method":"person.get","params":{"id":"191212121212","view":"fhir","profile":"P3"}}"#)
        XCTAssertNil(p3?["result"]?.objectValue?["maritalStatus"])
        let limited = await h.json(
            #"{"id":1,"method":"person.get","params":{"id":"189506229807","view":"fhir","profile":"P5"}}"#)
        XCTAssertNotNil(limited?["result"]?.objectValue)
        XCTAssertNil(limited?["result"]?.objectValue?["maritalStatus"])
        XCTAssertNil(limited?["result"]?.objectValue?["extension"])
    }

    func testCivilStatusMapping() {
        let mapped = ["G", "OG", "S", "Ä", "RP", "SP", "EP"].map { FHIREncoder.maritalStatus($0).code }
        XCTAssertEqual(mapped, ["M", "U", "D", "W", "T", "D", "T"])
    }
}
