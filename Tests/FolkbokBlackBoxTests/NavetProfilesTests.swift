import FolkbokJSON
import FolkbokNavet
import Foundation
import XCTest

/// A Navet delivery's P4 parts reach the record (shown under P4), a change post replaces only
/// the P4 parts it carries, an incomplete deregistration date keeps what is known, and a post
/// that moves a person adds the old address to the P5 history.
final class NavetProfilesTests: XCTestCase {
    func customers() -> String {
        """
        {"customers":[
         {"id":"granted","name":"Granted","category":"region","region":"01","contracts":["normal"],
          "purposes":["care"],"dataProcessingAgreement":true,"uids":[\(getuid())],"profiles":["P4","P5"]},
         {"id":"operator","name":"Operations","category":"operator","uids":[\(getuid())]}]}
        """
    }

    /// `folkbok generate N --p4` (NDJSON) and `--format navet` give the same persons the same
    /// P4 details: imported into two servers, every person's P4 keys answer alike, and most
    /// persons have some (without `--p4`, none).
    func test_generateP4_ndjsonCarriesTheDetailsTheNavetDeliveryHas() throws {
        let p4Keys = ["civilStatus", "citizenships", "birthPlace", "immigrationDate", "relations", "referredTo"]
        var answers: [[String: [JSONValue?]]] = []
        for args in [["--p4"], ["--format", "navet"], []] {
            let generated = try runFolkbok(["generate", "60", "--seed", "11", "--region", "01"] + args)
            XCTAssertEqual(generated.status, 0, generated.err)
            let server = try RunningServer(customers: customers())
            let file = server.directory + "/persons"
            try generated.out.write(toFile: file, atomically: true, encoding: .utf8)
            let op = try server.session("operator", purpose: nil, contract: nil)
            let report = try XCTUnwrap(
                op.call("admin.import", params: "{\"path\":\"\(file)\",\"region\":\"01\"}").result)
            XCTAssertEqual(report["inserted"]?.int64Value, 60, "\(args)")
            let ndjsonLines = generated.out.split(separator: "\n")
            let ids =
                args.first == "--format"
                ? answers[0].keys.sorted()
                : ndjsonLines.map { line in String(line.split(separator: "\"value\":\"")[1].prefix(12)) }
            let reader = try server.session("granted", purpose: "care", contract: "normal")
            var mine: [String: [JSONValue?]] = [:]
            for id in ids {
                let record = try XCTUnwrap(
                    reader.call("person.get", params: "{\"id\":\"\(id)\",\"profile\":\"P4\"}").result, id)
                mine[id] = p4Keys.map { record[$0] }
            }
            answers.append(mine)
        }
        XCTAssertEqual(answers[0].count, 60)
        XCTAssertEqual(answers[0], answers[1], "NDJSON --p4 and Navet give the same P4 details")
        // A limited record (a protected person) has no P4 keys at all: nil counts as none.
        func hasDetails(_ values: [JSONValue?]) -> Bool {
            values.contains { $0 != nil && $0 != .null && $0 != .array([]) }
        }
        XCTAssertGreaterThan(answers[0].values.filter(hasDetails).count, 30)
        let without = answers[2].values.filter(hasDetails).count
        XCTAssertEqual(without, 0, "no --p4: no details")
    }

    func test_navetP4Parts_areStored_changePostsReplaceTheirParts_andMovesGoToHistory() throws {
        let server = try RunningServer(customers: customers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let id = navetNumber("19700707", "123")
        var whole = wholePost(id, given: "Eva Li", surname: "Berg", marking: "10")
        whole.civilStatus = .init(code: "G", date: "20010601")
        whole.citizenships = [.init(country: "SE")]
        whole.immigration = .init(date: "19990000")
        let first = server.directory + "/whole.xml"
        try Data(NavetWriter().document(header: nil, posts: [whole])).write(to: URL(fileURLWithPath: first))
        XCTAssertEqual(
            try op.call("admin.import", params: "{\"path\":\"\(first)\",\"region\":\"01\"}").result?["inserted"]?
                .int64Value, 1)

        let reader = try server.session("granted", purpose: "care", contract: "normal")
        func get(_ profile: String) throws -> JSONObject {
            try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(id)\",\"profile\":\"\(profile)\"}").result)
        }
        let p4 = try get("P4")
        XCTAssertEqual(p4["civilStatus"]?.objectValue?["code"], .string("G"))
        XCTAssertEqual(p4["civilStatus"]?.objectValue?["date"], .string("2001-06-01"))
        XCTAssertEqual(p4["citizenships"]?.arrayValue?.first?.objectValue?["country"], .string("SE"))
        XCTAssertEqual(p4["immigrationDate"], .string("1999"), "an incomplete date keeps what is known")
        XCTAssertNil(try get("P3")["civilStatus"], "P4 keys only under P4 and P5")

        // A change: a new address, a new civil status and a deregistration with an incomplete date.
        var change = NavetPost(index: 0)
        change.personNumber = id
        change.totalpost = "N"
        change.addresses = .init(registered: .init(line1: "Nygatan 9", postalCode: "41101", city: "GÖTEBORG"))
        change.civilStatus = .init(code: "S", date: "20200300")
        change.deregistration = .init(code: "UV", date: "20250300")
        let second = server.directory + "/change.xml"
        try Data(NavetWriter().document(header: nil, posts: [change])).write(to: URL(fileURLWithPath: second))
        XCTAssertEqual(
            try op.call("admin.import", params: "{\"path\":\"\(second)\",\"region\":\"01\"}").result?["updated"]?
                .int64Value, 1)

        let p5 = try get("P5")
        XCTAssertEqual(p5["civilStatus"]?.objectValue?["code"], .string("S"))
        XCTAssertEqual(p5["civilStatus"]?.objectValue?["date"], .string("2020-03"))
        XCTAssertEqual(p5["citizenships"]?.arrayValue?.count, 1, "a part the change left out stays")
        XCTAssertEqual(p5["immigrationDate"], .string("1999"))
        XCTAssertEqual(p5["status"]?.objectValue?["state"], .string("deregistered"))
        XCTAssertEqual(p5["status"]?.objectValue?["date"], .string("2025-03"))
        let history = try XCTUnwrap(p5["history"]?.arrayValue)
        let moved = try XCTUnwrap(history.first?.objectValue)
        XCTAssertEqual(moved["field"], .string("address"))
        XCTAssertEqual(moved["value"]?.objectValue?["street"], .string("Storgatan 1"))
        XCTAssertEqual(history.count, 1, "the name did not change: one entry")
    }
}
