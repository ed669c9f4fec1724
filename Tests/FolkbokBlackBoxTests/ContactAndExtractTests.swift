import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class ContactAndExtractTests: XCTestCase {
    /// Contact details: validated, normalised, versioned, shown only for care purposes.
    func test_contactSetDelete_versionsAndVisibility() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var server = try RunningServer(directory: directory, customers: administrationCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<3), tag: "C", file: directory + "/p.ndjson"))
        var admin = try server.session()
        let who = testNumber(0)
        let consent = "\"consent\":{\"source\":\"1177\",\"date\":\"2026-01-02\"}"
        let set = try admin.result(
            "contact.set",
            "{\"id\":\"\(who)\",\"email\":\"Anna.Svensson@Example.SE\",\"phone\":\"070-123 45 67\",\(consent)}")
        XCTAssertEqual(set["version"]?.int64Value, 1)
        var contact = try admin.result("person.get", "{\"id\":\"\(who)\"}")["contact"]?.objectValue
        XCTAssertEqual(contact?["email"], .string("Anna.Svensson@example.se"))
        XCTAssertEqual(contact?["phone"], .string("+46701234567"))
        XCTAssertEqual(contact?["version"]?.int64Value, 1)
        XCTAssertEqual(contact?["consent"]?.objectValue?["source"], .string("1177"))

        // Optimistic concurrency: a stale ifVersion is 4009 and changes nothing.
        XCTAssertEqual(
            try admin.errorCode(
                "contact.set", "{\"id\":\"\(who)\",\"phone\":\"+46 8 123 456 78\",\(consent),\"ifVersion\":0}"), 4009)
        XCTAssertEqual(
            try admin.result(
                "contact.set", "{\"id\":\"\(who)\",\"phone\":\"+46 8 123 456 78\",\(consent),\"ifVersion\":1}")[
                    "version"]?.int64Value, 2)
        contact = try admin.result("person.get", "{\"id\":\"\(who)\"}")["contact"]?.objectValue
        XCTAssertEqual(contact?["phone"], .string("+46812345678"))
        XCTAssertEqual(
            contact?["email"], .string("Anna.Svensson@example.se"), "a set naming only phone keeps the email")
        XCTAssertEqual(
            try admin.result("contact.delete", "{\"id\":\"\(who)\",\"kind\":\"email\",\"ifVersion\":2}")["version"]?
                .int64Value, 3)
        XCTAssertEqual(
            try admin.errorCode("contact.delete", "{\"id\":\"\(who)\",\"kind\":\"all\",\"ifVersion\":2}"), 4009)

        // Bad input: -32602 naming the parameter, never echoing it.
        for bad in ["\"email\":\"not-an-address\"", "\"email\":\"a@b\"", "\"phone\":\"12ab\"", "\"phone\":\"+0123\""] {
            let answer = try admin.call("contact.set", params: "{\"id\":\"\(who)\",\(bad),\(consent)}")
            XCTAssertEqual(answer.errorCode, -32602, bad)
            let message = answer["error"]?.objectValue?["message"]?.stringValue ?? ""
            XCTAssertFalse(message.contains("not-an-address") || message.contains("12ab"), message)
        }
        XCTAssertEqual(
            try admin.errorCode("contact.set", "{\"id\":\"\(who)\",\"email\":\"a@example.se\"}"), -32602,
            "consent required")
        XCTAssertEqual(
            try admin.errorCode("contact.set", "{\"id\":\"\(who)\",\(consent)}"), -32602, "email or phone required")
        XCTAssertEqual(try admin.errorCode("contact.delete", "{\"id\":\"\(who)\",\"kind\":\"fax\"}"), -32602)
        XCTAssertEqual(
            try admin.errorCode("contact.set", "{\"id\":\"\(testNumber(77))\",\"email\":\"a@example.se\",\(consent)}"),
            4004)
        XCTAssertEqual(
            try admin.errorCode("contact.set", "{\"id\":\"190101019999\",\"email\":\"a@example.se\",\(consent)}"), 4022)

        // Who may write and who sees them.
        XCTAssertEqual(
            try server.session("SE2321000032-0003").errorCode(
                "contact.set", "{\"id\":\"\(who)\",\"email\":\"a@example.se\",\(consent)}"), 4003)
        let municipal = try server.session("SE2120000001-0180", purpose: "municipal")
        XCTAssertNil(try municipal.result("person.get", "{\"id\":\"\(who)\"}")["contact"], "not for purpose municipal")
        XCTAssertEqual(
            try municipal.errorCode("contact.set", "{\"id\":\"\(who)\",\"email\":\"a@example.se\",\(consent)}"), 4003)
        XCTAssertNil(
            try admin.result("person.get", "{\"id\":\"\(who)\",\"profile\":\"P2\"}")["contact"], "P2 leaves contact out"
        )

        // Survives a kill -9.
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        server = try RunningServer(directory: directory, customers: administrationCustomers())
        admin = try server.session()
        contact = try admin.result("person.get", "{\"id\":\"\(who)\"}")["contact"]?.objectValue
        XCTAssertEqual(contact?["version"]?.int64Value, 3)
        XCTAssertEqual(contact?["email"], .null)
        XCTAssertEqual(contact?["phone"], .string("+46812345678"))

        // A later import without contact details keeps them.
        XCTAssertTrue(
            try server.importPersons(
                try server.session("operator", purpose: nil, contract: nil), [0], tag: "Again",
                file: directory + "/q.ndjson"))
        XCTAssertEqual(
            try admin.result("person.get", "{\"id\":\"\(who)\"}")["contact"]?.objectValue?["version"]?.int64Value, 3)
    }

    /// Extracts stream every record of a region, then a summary; the change feed continues from it.
    func test_extract_streamsRegion_andFollowsChanges() throws {
        let server = try RunningServer(customers: administrationCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<40), tag: "E", file: server.directory + "/p.ndjson"))
        let other = server.directory + "/o.ndjson"
        try ((100..<110).map { importLine($0, tag: "O") }.joined(separator: "\n") + "\n").write(
            toFile: other, atomically: true, encoding: .utf8)
        _ = try op.result("admin.import", "{\"path\":\"\(other)\",\"region\":\"03\",\"mode\":\"delta\"}")
        let admin = try server.session()

        let (lines, final) = try admin.stream("extract.create", "{\"region\":\"01\"}")
        XCTAssertEqual(lines.count, 40)
        XCTAssertTrue(
            lines.allSatisfy { $0["id"]?.int64Value == 7 && $0["record"]?.objectValue?["region"] == .string("01") })
        XCTAssertEqual(
            Set(lines.compactMap { $0["record"]?.objectValue?.identityValue("id") }), Set((0..<40).map(testNumber)))
        let versions = lines.compactMap { $0["record"]?.objectValue?["version"]?.uint64Value }
        XCTAssertEqual(versions, versions.sorted(), "in version order")
        XCTAssertEqual(final.result?["count"]?.int64Value, 40)
        let high = try XCTUnwrap(final.result?["version"]?.uint64Value)

        // Nothing changed: an empty feed at the same mark. Then two changes come, in order.
        let (none, same) = try admin.stream("extract.create", "{\"region\":\"01\",\"changedSince\":\(high)}")
        XCTAssertEqual(none.count, 0)
        XCTAssertEqual(same.result?["version"]?.uint64Value, high)
        XCTAssertTrue(try server.importPersons(op, [5, 3], tag: "Changed", file: server.directory + "/c.ndjson"))
        let (changed, next) = try admin.stream("extract.create", "{\"region\":\"01\",\"changedSince\":\(high)}")
        XCTAssertEqual(
            changed.compactMap { $0["record"]?.objectValue?.identityValue("id") }, [testNumber(5), testNumber(3)])
        XCTAssertGreaterThan(try XCTUnwrap(next.result?["version"]?.uint64Value), high)

        // Bilateral agreement: 01 may extract 03; 03 may not extract 01; the municipality only its own.
        XCTAssertEqual(try admin.stream("extract.create", "{\"region\":\"03\"}").lines.count, 10)
        XCTAssertEqual(try server.session("SE2321000032-0003").errorCode("extract.create", "{\"region\":\"01\"}"), 4003)
        XCTAssertEqual(
            try server.session("SE2120000001-0180", purpose: "municipal").errorCode(
                "extract.create", "{\"region\":\"03\"}"), 4003)
        XCTAssertEqual(try op.errorCode("extract.create", "{\"region\":\"01\"}"), 4003)
        XCTAssertEqual(try admin.errorCode("extract.create", "{\"region\":\"1\"}"), -32602)
        // The connection goes on normally after a stream.
        XCTAssertNotNil(try admin.result("ping", "{}")["pong"])

        // Every extracted record is in the access log.
        let logged =
            try op.result("audit.query", "{\"customer\":\"SE2321000016-0001\",\"limit\":500}")["entries"]?.arrayValue
            ?? []
        XCTAssertEqual(logged.filter { $0.objectValue?["method"]?.stringValue == "extract.create" }.count, 40 + 2 + 10)
    }

    /// An extract far larger than the output limit (4 MiB) still arrives whole to a client that
    /// stops reading, and while it does not read the server holds about the limit, not the
    /// extract: its resident memory grows by less than half the extract's bytes.
    func test_extract_largerThanOutputLimit_arrivesWhole_withBoundedServerMemory() throws {
        let persons = 60_000
        let server = try RunningServer(customers: administrationCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let file = server.directory + "/big.ndjson"
        let r = try runFolkbok(["generate", "\(persons)", "--seed", "3", "--region", "01"])
        try r.out.write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try op.result("admin.import", "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"full\"}")["inserted"]?
                .int64Value, Int64(persons))
        let pid = server.process.processIdentifier
        let admin = try server.session()
        let before = residentBytes(pid)
        try admin.send(
            line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"extract.create\",\"params\":{\"region\":\"01\"}}")
        // Let the server fill the socket and wait on backpressure, keeping the highest RSS seen.
        var stalled = before
        for _ in 0..<15 {
            usleep(100_000)
            stalled = max(stalled, residentBytes(pid))
        }
        var count = 0
        var bytes = 0
        while let line = try admin.readLine() {
            bytes += line.count + 1
            guard case .object(let o)? = try? JSONParser.parse(line) else {
                XCTFail("not JSON")
                break
            }
            if let result = o.result {
                XCTAssertEqual(result["count"]?.int64Value, Int64(persons))
                break
            }
            count += 1
        }
        XCTAssertEqual(count, persons)
        XCTAssertGreaterThan(before, 0, "the server's VmRSS could not be read")
        XCTAssertGreaterThan(bytes, 6 * (4 << 20), "the extract is not far above the output limit")
        XCTAssertLessThan(
            stalled - before, bytes / 2,
            "the server grew by \(stalled - before) bytes for an extract of \(bytes) bytes the client did not read")
    }

    /// The server's resident memory (VmRSS in /proc/PID/status), 0 if it cannot be read.
    private func residentBytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return 0 }
        return kb * 1024
    }
}
