import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class ImportAndCommandLineTests: XCTestCase {
    func test_importWithBadLines_loadsGoodLines_andReportsBadOnes() throws {
        let server = try RunningServer(customers: testCustomers())
        let generated = try runFolkbok(["generate", "50", "--seed", "3"])
        XCTAssertEqual(generated.status, 0)
        var lines = generated.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 50)
        lines.insert("not json", at: 10)
        lines.insert("{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121213\"}}", at: 20)
        lines.insert("{\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121212\"},\"county\":\"1\"}", at: 30)
        let file = server.directory + "/persons.ndjson"
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let op = try server.session("operator", purpose: nil, contract: nil)
        let before = try XCTUnwrap(op.call("admin.info").result?["persons"]?.int64Value)
        let report = try XCTUnwrap(
            op.call("admin.import", params: "{\"path\":\"\(file)\",\"region\":\"07\",\"mode\":\"delta\"}").result)
        XCTAssertEqual(report["inserted"]?.int64Value, 50)
        XCTAssertEqual(report["rejected"]?.int64Value, 3)
        let errors = report["errors"]?.arrayValue ?? []
        XCTAssertEqual(errors.compactMap { $0.objectValue?["line"]?.int64Value }, [11, 21, 31])
        for e in errors { XCTAssertFalse(e.objectValue?["reason"]?.stringValue?.contains("1912121212") ?? true) }
        XCTAssertEqual(try op.call("admin.info").result?["persons"]?.int64Value, before + 50)

        // The region parameter wins over the records' own region.
        let firstID = try XCTUnwrap(JSONParser.parse(lines[0]).objectValue?["id"]?.objectValue?["value"]?.stringValue)
        let person = try server.session().call("person.get", params: "{\"id\":\"\(firstID)\"}")
        XCTAssertEqual(person.result?["region"], .string("07"))

        // A full import of 10 of them removes the other 40 of region 07, and nothing else.
        let ten = server.directory + "/ten.ndjson"
        try (generated.out.split(separator: "\n").prefix(10).joined(separator: "\n") + "\n").write(
            toFile: ten, atomically: true, encoding: .utf8)
        let full = try XCTUnwrap(
            op.call("admin.import", params: "{\"path\":\"\(ten)\",\"region\":\"07\",\"mode\":\"full\"}").result)
        XCTAssertEqual(full["updated"]?.int64Value, 10)
        XCTAssertEqual(full["removed"]?.int64Value, 40)
        XCTAssertEqual(try op.call("admin.info").result?["persons"]?.int64Value, before + 10)
    }

    func test_importByNonOperator_isForbidden_andRelativePathIsInvalid() throws {
        let server = try RunningServer()
        let region = try server.session()
        XCTAssertEqual(
            try region.call("admin.import", params: "{\"path\":\"/tmp/x\",\"region\":\"01\"}").errorCode, 4003)
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertEqual(
            try op.call("admin.import", params: "{\"path\":\"x.ndjson\",\"region\":\"01\"}").errorCode, -32602)
        XCTAssertEqual(
            try op.call("admin.import", params: "{\"path\":\"/nonexistent/x\",\"region\":\"01\"}").errorCode, -32602)
    }

    func test_generate_isDeterministic() throws {
        let a = try runFolkbok(["generate", "200", "--seed", "7"])
        let b = try runFolkbok(["generate", "200", "--seed", "7"])
        let c = try runFolkbok(["generate", "200", "--seed", "8"])
        XCTAssertEqual(a.out, b.out)
        XCTAssertNotEqual(a.out, c.out)
        XCTAssertEqual(a.out.split(separator: "\n").count, 200)
    }

    func test_wrongFlag_printsUsageAndExits2() throws {
        for command in ["serve", "get", "call", "info", "import", "generate"] {
            let r = try runFolkbok([command, "--no-such-flag"])
            XCTAssertEqual(r.status, 2, command)
            XCTAssertTrue(r.err.contains("Usage"), command)
        }
        XCTAssertEqual(try runFolkbok(["frobnicate"]).status, 2)
        XCTAssertEqual(try runFolkbok(["serve", "--stats-threshold", "2"]).status, 2)
        for size in ["1K", "64KB", "-1"] {
            let r = try runFolkbok(["serve", "--log-segment-bytes", size])
            XCTAssertEqual(r.status, 2, size)
            XCTAssertTrue(r.err.contains("--log-segment-bytes"), r.err)
        }
    }

    func test_everyCommand_hasHelp() throws {
        for command in ["serve", "get", "call", "info", "import", "generate"] {
            let r = try runFolkbok([command, "--help"])
            XCTAssertEqual(r.status, 0, command)
            XCTAssertTrue(r.out.contains("Usage: folkbok \(command)"), command)
        }
        XCTAssertTrue(try runFolkbok(["help"]).out.contains("Commands"))
    }

    func test_getAndCall_printReadableAndRaw() throws {
        let server = try RunningServer()
        let env = ["FOLKBOK_SOCKET": server.socketPath]
        let readable = try runFolkbok(["get", demoNumber], environment: env)
        XCTAssertEqual(readable.status, 0, readable.err)
        XCTAssertTrue(readable.out.contains("Identity") && readable.out.contains(demoNumber), readable.out)
        let raw = try runFolkbok(["call", "person.get", "{\"id\":\"\(demoNumber)\"}"], environment: env)
        XCTAssertEqual(raw.status, 0)
        XCTAssertNotNil(
            try JSONParser.parse(raw.out.trimmingCharacters(in: .whitespacesAndNewlines)).objectValue?["result"])
        let missing = try runFolkbok(["get", "197001012389"], environment: env)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("4004"), missing.err)
        XCTAssertFalse(missing.err.contains("197001012389"))
        let info = try runFolkbok(["info"], environment: env)
        XCTAssertTrue(info.out.contains("persons"), info.out)
    }

    func test_badCustomersFile_refusesToStart() throws {
        let dir = RunningServer.makeDirectory()
        let file = dir + "/c.json"
        try #"{"customers":[{"id":"p","name":"P","category":"private","contracts":["extended"],"purposes":["care"]}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try runFolkbok(["serve", "--socket", dir + "/s.sock", "--data", dir + "/d", "--customers", file])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("extended"), r.err)
    }
}
