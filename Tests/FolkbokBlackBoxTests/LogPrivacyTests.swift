import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The server's whole output (stdout and stderr) over a realistic session at `--log-level debug
/// --log-format json` holds one JSON event a line and none of the person data the session used.
final class LogPrivacyTests: XCTestCase {
    func test_wholeRun_logsEvents_butNoIdentityOrName() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/s.sock", output = directory + "/server.log"
        let server = try SpawnedProcess(
            [
                RunningServer.binary, "serve", "--socket", socket, "--data", directory + "/data", "--log-format",
                "json", "--log-level", "debug",
            ],
            output: output)
        XCTAssertTrue(eventually(within: 60) { (try? LineClient(socketPath: socket).call("ping"))?.result != nil })
        let client = try LineClient(socketPath: socket)
        XCTAssertNotNil(
            try client.call(
                "session.open",
                params: "{\"customer\":\"SE2321000016-0001\",\"purpose\":\"care\",\"contract\":\"normal\"}"
            ).result)

        // Demo identities, looked up in bulk until some protected ones are among them.
        var used: Set<String> = ["191212121212", demoNumber]
        var records: [JSONObject] = []
        let numbers = try demoNumbers()
        for batch in stride(from: 0, to: 4000, by: 500) {
            let ids = Array(numbers[batch..<batch + 500])
            used.formUnion(ids)
            let answer = try client.call(
                "person.getMany", params: "{\"ids\":[" + ids.map { "\"\($0)\"" }.joined(separator: ",") + "]}")
            let results = try XCTUnwrap(answer.result?["results"]?.arrayValue, "\(answer)")
            records += results.compactMap { $0.objectValue?["record"]?.objectValue }
            if records.filter(isProtected).count >= 3 { break }
        }
        let protected = records.filter(isProtected).prefix(3), open = records.filter { !isProtected($0) }.prefix(3)
        XCTAssertGreaterThanOrEqual(protected.count, 1, "the demo has protected persons")
        var looked: [JSONObject] = []
        for record in Array(protected) + Array(open) {
            let id = try XCTUnwrap(record["id"]?.objectValue?["value"]?.stringValue)
            let answer = try client.call("person.get", params: "{\"id\":\"\(id)\",\"profile\":\"P2\"}")
            looked.append(try XCTUnwrap(answer.result, "\(answer)"))
        }
        let tolvan = try XCTUnwrap(try client.call("person.get", params: "{\"id\":\"191212121212\"}").result)
        looked.append(tolvan)

        // A search by a surname used above, a contact change, and bad requests naming identities.
        let surname = try XCTUnwrap(looked.last?["name"]?.objectValue?["surname"]?.stringValue)
        XCTAssertNotNil(try client.call("person.search", params: "{\"surname\":\"\(surname)\",\"limit\":5}").result)
        XCTAssertNotNil(
            try client.call(
                "contact.set",
                params:
                    "{\"id\":\"\(demoNumber)\",\"phone\":\"+46701112233\",\"consent\":{\"source\":\"1177\",\"date\":\"2026-01-02\"}}"
            ).result)
        let unknown = personnummer(1970, 1, 1, serial: 238), badCheck = "191212121213"
        used.formUnion([unknown, badCheck])
        XCTAssertEqual(try client.call("person.get", params: "{\"id\":\"\(unknown)\"}").errorCode, 4004)
        XCTAssertNotNil(try client.call("person.get", params: "{\"id\":\"\(badCheck)\"}").errorCode)
        XCTAssertNotNil(
            try client.call("person.get", params: "{\"id\":\"121212-1212\",\"extra\":\"19121212-1212\"}").errorCode)
        try client.send(
            line: "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\"")
        XCTAssertEqual(try client.readLine().flatMap { try? JSONParser.parse($0).objectValue?.errorCode }, -32700)

        // An import with a good line and a bad one, then a snapshot, as the operator.
        let good = StatsPerson(1961, 3, 4, serial: 118, sex: "M", surname: "Loggbokssson")
        let badNumber = personnummer(1962, 5, 6, serial: 127)
        used.formUnion([good.number, badNumber])
        let importFile = directory + "/import.ndjson"
        try
            (good.importLine + "\n"
            + "{\"id\":{\"kind\":\"personnummer\",\"value\":\"\(badNumber)\"},\"name\":{\"given\":\"Hemligast\","
            + "\"surname\":\"Läckbergsson\"},\"birthDate\":\"1962-13-45\",\"sex\":\"Q\"}\n").write(
                toFile: importFile, atomically: true, encoding: .utf8)
        let op = try LineClient(socketPath: socket)
        XCTAssertNotNil(try op.call("session.open", params: "{\"customer\":\"operator\"}").result)
        let imported = try XCTUnwrap(
            try op.call("admin.import", params: "{\"path\":\"\(importFile)\",\"region\":\"01\"}").result)
        XCTAssertEqual(imported["rejected"]?.int64Value, 1, "\(imported)")
        XCTAssertNotNil(try op.call("admin.snapshot").result)
        XCTAssertEqual(server.stop(), 0)

        let text = try String(contentsOfFile: output, encoding: .utf8)
        // Every line is one JSON event; the events of the session are there.
        var events: [String] = []
        for line in text.split(separator: "\n") {
            let object = try XCTUnwrap(try? JSONParser.parse(Array(line.utf8)).objectValue, "not a JSON line: \(line)")
            for key in ["time", "level", "event", "message"] {
                XCTAssertNotNil(object[key]?.stringValue, "\(key) in \(line)")
            }
            events.append(object["event"]?.stringValue ?? "")
        }
        for event in ["listening", "session.opened", "import", "import.rejected", "snapshot", "stopping", "stopped"] {
            XCTAssertTrue(events.contains(event), "\(event) in \(events)")
        }
        // No identity in any form, no name, no street.
        for number in used {
            let short = String(number.dropFirst(2))
            for form in [
                number, short, number.prefix(8) + "-" + number.suffix(4), short.prefix(6) + "-" + short.suffix(4),
            ] {
                XCTAssertFalse(text.contains(form), "\(form) appears in the server's output")
            }
        }
        var names: Set<String> = ["Hemligast", "Läckbergsson", "Loggbokssson", "Stina"]
        for record in looked {
            let name = record["name"]?.objectValue
            for key in ["given", "callName", "middle", "surname"] {
                if let value = name?[key]?.stringValue { names.formUnion(value.split(separator: " ").map(String.init)) }
            }
            if let street = record["address"]?.objectValue?["street"]?.stringValue { names.insert(street) }
        }
        XCTAssertGreaterThan(names.count, 6)
        for name in names where name.count >= 3 {
            XCTAssertFalse(text.contains(name), "\(name) appears in the server's output")
        }
    }

    func isProtected(_ record: JSONObject) -> Bool { record["protection"]?.stringValue.map { $0 != "none" } ?? false }

    /// Skatteverket's test personnummer the demo is made of.
    func demoNumbers() throws -> [String] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Sources/FolkbokDemo/Resources/testpersonnummer.txt")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init).filter {
            $0.count == 12
        }
    }
}

/// `--log-level` and `--log-format` as flags: the level filters, the text format is unchanged,
/// wrong values are usage errors.
final class LogFlagsTests: XCTestCase {
    /// A start and stop logs only info events: at `warning` nothing is written, at the default
    /// the text lines are `folkbok: <message>`.
    func test_level_filters_andTextIsPlainLines() throws {
        for (level, expectEmpty) in [("warning", true), ("info", false)] {
            let directory = RunningServer.makeDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let socket = directory + "/s.sock", output = directory + "/server.log"
            let server = try SpawnedProcess(
                [
                    RunningServer.binary, "serve", "--socket", socket, "--data", directory + "/data", "--log-level",
                    level,
                ],
                output: output)
            XCTAssertTrue(eventually(within: 60) { (try? LineClient(socketPath: socket).call("ping"))?.result != nil })
            XCTAssertEqual(server.stop(), 0)
            let text = try String(contentsOfFile: output, encoding: .utf8)
            if expectEmpty {
                XCTAssertEqual(text, "", "at \(level)")
            } else {
                let lines = text.split(separator: "\n")
                XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("folkbok: ") }, text)
                XCTAssertTrue(text.contains("folkbok: folkbok 0.1.0 listening on \(socket)"), text)
                XCTAssertEqual(lines.last, "folkbok: folkbok stopped")
            }
        }
    }

    func test_wrongValues_areUsageErrors() throws {
        let level = try runFolkbok(["serve", "--log-level", "loud"])
        XCTAssertEqual(level.status, 2)
        XCTAssertTrue(level.err.contains("--log-level takes debug, info, warning or error"), level.err)
        let format = try runFolkbok(["serve", "--log-format", "xml"])
        XCTAssertEqual(format.status, 2)
        XCTAssertTrue(format.err.contains("--log-format takes text or json"), format.err)
    }

    /// A start-up failure is one JSON event in the JSON format.
    func test_startFailure_isAJSONEvent() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try runFolkbok([
            "serve", "--socket", directory + "/s.sock", "--data", directory + "/data",
            "--customers", directory + "/missing.json", "--log-format", "json",
        ])
        XCTAssertEqual(run.status, 1)
        let object = try XCTUnwrap(try? JSONParser.parse(Array(run.err.utf8.dropLast())).objectValue, run.err)
        XCTAssertEqual(object["level"]?.stringValue, "error")
        XCTAssertEqual(object["event"]?.stringValue, "start.failed")
        XCTAssertEqual(object["message"]?.stringValue, "cannot read the customers file \(directory)/missing.json")
    }
}
