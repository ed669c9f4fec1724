import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Profiles P4 and P5 through the binary: the `profiles` customer key gates them (4003 before
/// any lookup, nothing in the access log), an NDJSON import carries P4 data, a second import
/// that moves the person adds P5 history, limited records stay limited, and kill -9 after
/// the imports loses neither the data nor the history.
final class ProfileP4P5Tests: XCTestCase {
    /// Region 01 with P4 and P5, region 02 without, and the operator.
    func customers() -> String {
        """
        {"customers":[
         {"id":"granted","name":"Granted","category":"region","region":"01","contracts":["normal"],
          "purposes":["care"],"dataProcessingAgreement":true,"uids":[\(getuid())],"profiles":["P4","P5"]},
         {"id":"plain","name":"Plain","category":"region","region":"02","contracts":["normal"],
          "purposes":["care"],"dataProcessingAgreement":true,"uids":[\(getuid())]},
         {"id":"operator","name":"Operations","category":"operator","uids":[\(getuid())]}]}
        """
    }

    func line(_ n: Int, street: String, protection: String = "none") -> String {
        "{\"id\":{\"kind\":\"personnummer\",\"value\":\"\(testNumber(n))\"},\"name\":{\"given\":\"Märta\",\"surname\":\"Öberg\"},"
            + "\"address\":{\"careOf\":null,\"street\":\"\(street)\",\"postalCode\":\"11436\",\"city\":\"STOCKHOLM\"},"
            + "\"county\":\"01\",\"municipality\":\"0180\",\"protection\":\"\(protection)\","
            + "\"status\":{\"state\":\"deregistered\",\"date\":\"2001-05\",\"reason\":\"UV\"},"
            + "\"civilStatus\":{\"code\":\"G\",\"date\":\"1999-12\"},\"citizenships\":[{\"country\":\"SE\",\"date\":null}],"
            + "\"birthPlace\":{\"place\":\"Åbo\",\"country\":\"FI\"},\"immigrationDate\":\"1990\","
            + "\"relations\":[{\"id\":{\"kind\":\"birthTime\",\"value\":\"20200101-0123\"},\"type\":\"B\",\"from\":\"2020-01-01\",\"to\":null}],"
            + "\"referredTo\":null}"
    }

    func importFile(_ op: LineClient, _ server: RunningServer, _ lines: [String]) throws {
        let file = server.directory + "/p4.ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let answer = try op.call("admin.import", params: "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"delta\"}")
        XCTAssertEqual(answer.result?["rejected"]?.int64Value, 0, "\(answer)")
    }

    func get(_ c: LineClient, _ n: Int, _ profile: String) throws -> JSONObject {
        try c.call("person.get", params: "{\"id\":\"\(testNumber(n))\",\"profile\":\"\(profile)\"}")
    }

    func checkP4AndHistory(_ server: RunningServer, movedFrom: String?) throws {
        let c = try server.session("granted", purpose: "care", contract: "normal")
        let p4 = try XCTUnwrap(get(c, 0, "P4").result)
        XCTAssertEqual(p4["civilStatus"]?.objectValue?["code"], .string("G"))
        XCTAssertEqual(p4["civilStatus"]?.objectValue?["date"], .string("1999-12"))
        XCTAssertEqual(p4["birthPlace"]?.objectValue?["place"], .string("Åbo"))
        XCTAssertEqual(p4["immigrationDate"], .string("1990"))
        XCTAssertEqual(p4["status"]?.objectValue?["date"], .string("2001-05"))
        XCTAssertEqual(p4["relations"]?.arrayValue?.first?.objectValue?["type"], .string("B"))
        XCTAssertEqual(p4["referredTo"], .null)
        XCTAssertNil(p4["history"])
        let p5 = try XCTUnwrap(get(c, 0, "P5").result)
        let history = p5["history"]?.arrayValue?.compactMap(\.objectValue) ?? []
        if let movedFrom {
            XCTAssertEqual(history.count, 1, "\(history)")
            XCTAssertEqual(history.first?["field"], .string("address"))
            XCTAssertEqual(history.first?["value"]?.objectValue?["street"], .string(movedFrom))
            XCTAssertEqual(history.first?["until"], .string(utcToday()))
        } else {
            XCTAssertEqual(history.count, 0)
        }
        for profile in ["P4", "P5"] {
            XCTAssertEqual(
                try get(c, 1, profile).result?.keys, ["id", "name", "county", "sex", "protection", "limited"])
            XCTAssertEqual(try get(c, 2, profile).result?.keys, ["id", "name", "protection", "limited"])
        }
    }

    func test_profilesGateP4P5_importCarriesThem_historyFollowsAMove_andSurvivesKillDashNine() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server: RunningServer? = try RunningServer(directory: directory, customers: customers())
        let op = try server!.session("operator", purpose: nil, contract: nil)
        try importFile(
            op, server!,
            [
                line(0, street: "Gamla gatan 1"), line(1, street: "X 1", protection: "sekretess"),
                line(2, street: "Y 2", protection: "skyddad"),
            ])
        try checkP4AndHistory(server!, movedFrom: nil)

        // The customer without the key: 4003 for the whole call, before any lookup, nothing logged as disclosed.
        let entriesBefore = try accessLog(op).count
        let plain = try server!.session("plain", purpose: "care", contract: "normal")
        for profile in ["P4", "P5"] {
            XCTAssertEqual(try get(plain, 0, profile).errorCode, 4003)
            XCTAssertEqual(
                try plain.call("person.getMany", params: "{\"ids\":[\"\(testNumber(0))\"],\"profile\":\"\(profile)\"}")
                    .errorCode, 4003)
            XCTAssertEqual(
                try plain.call("extract.create", params: "{\"region\":\"02\",\"profile\":\"\(profile)\"}").errorCode,
                4003)
        }
        XCTAssertNotNil(try get(plain, 0, "P3").result, "P3 stays open to it")
        let logged = try accessLog(op).dropFirst(entriesBefore)
        XCTAssertEqual(
            logged.filter { $0["method"]?.stringValue != "audit.query" }.map { $0["profile"]?.stringValue }, ["P3"],
            "only the P3 lookup was logged")

        // A second import moves person 0: P5 shows the old address, dated today (UTC).
        try importFile(op, server!, [line(0, street: "Nya vägen 2")])
        try checkP4AndHistory(server!, movedFrom: "Gamla gatan 1")

        // kill -9 after the acknowledged imports: data and history come back from the log.
        kill(server!.process.processIdentifier, SIGKILL)
        server!.process.waitUntilExit()
        server = nil
        server = try RunningServer(directory: directory, customers: customers())
        try checkP4AndHistory(server!, movedFrom: "Gamla gatan 1")

        // And from a snapshot (format version 4: the P4 details as the arena keeps them) after a
        // clean restart.
        let op2 = try server!.session("operator", purpose: nil, contract: nil)
        let snapshot = try XCTUnwrap(op2.call("admin.snapshot").result?["path"]?.stringValue)
        let header = try XCTUnwrap(FileHandle(forReadingAtPath: snapshot)).readData(ofLength: 12)
        XCTAssertEqual(header.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }, 4, "format version")
        server!.stop()
        server = try RunningServer(directory: directory, customers: customers())
        try checkP4AndHistory(server!, movedFrom: "Gamla gatan 1")
        server!.stop()
    }

    /// An upgrade: a data directory whose snapshot is format version 3 (the committed fixture,
    /// six persons, P4 details and P5 history) starts under today's binary, which loads it and
    /// writes its next snapshot as version 4; that one loads after a restart with the same
    /// persons.
    func test_versionThreeSnapshot_loads_andTheNextSnapshotIsVersionFour() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Snapshots/fixtures/v3-snapshot.fbsnap")
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: false)
        try FileManager.default.copyItem(
            atPath: fixture.path, toPath: directory + "/data/snapshot-00000000000000000009.fbsnap")
        func version(_ path: String) throws -> UInt32 {
            let header = try XCTUnwrap(FileHandle(forReadingAtPath: path)).readData(ofLength: 12)
            return header.suffix(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
        }
        var server: RunningServer? = try RunningServer(directory: directory, customers: customers())
        var op = try server!.session("operator", purpose: nil, contract: nil)
        XCTAssertEqual(try op.call("admin.info").result?["persons"]?.int64Value, 6)
        let snapshot = try XCTUnwrap(op.call("admin.snapshot").result?["path"]?.stringValue)
        XCTAssertEqual(try version(snapshot), 4)
        XCTAssertEqual(server!.stop(), 0)
        server = try RunningServer(directory: directory, customers: customers())
        op = try server!.session("operator", purpose: nil, contract: nil)
        XCTAssertEqual(try op.call("admin.info").result?["persons"]?.int64Value, 6)
        XCTAssertEqual(server!.stop(), 0)
    }

    func accessLog(_ op: LineClient) throws -> [JSONObject] {
        let answer = try op.call("audit.query", params: "{}")
        return (answer.result?["entries"]?.arrayValue ?? []).compactMap(\.objectValue)
    }
}
