import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// `admin.import` of NDJSON decodes a file's lines on several threads, a few MiB at a time
/// (`ParallelLineDecoder`): these files span several such chunks and batches, and the answer and
/// the register must be as if the lines had been read one by one.
final class ImportOrderTests: XCTestCase {
    func test_largeImport_keepsFileOrder_lastLineWins_andLineNumbersAreTheFiles() throws {
        let generated = try runFolkbok(["generate", "20000", "--seed", "5"])
        XCTAssertEqual(generated.status, 0)
        let base = generated.out.split(separator: "\n").map(String.init)
        XCTAssertEqual(base.count, 20000)

        var lines: [String] = []
        var rejected: [(line: Int, reason: String)] = []
        var lastSurname: [String: String] = [:]
        var duplicates = 0
        for (i, line) in base.enumerated() {
            lines.append(i % 101 == 0 ? line + "\r" : line)  // CRLF lines are lines like any other
            lastSurname[Self.id(of: line)] = Self.surname(of: line)
            if i % 997 == 500 {
                lines.append("not json")
                rejected.append((lines.count, "not valid JSON"))
            }
            if i % 1499 == 0 { lines.append("   ") }  // blank: counted, neither applied nor rejected
            if i % 3001 == 1000 {
                lines.append("{\"id\":\"" + String(repeating: "x", count: (1 << 20) + 10) + "\"}")
                rejected.append((lines.count, "longer than 1 MiB"))
            }
            if i % 37 == 0 && i > 0 {
                // A person seen before, again with another surname: near (same chunk and batch)
                // and far (thousands of lines back); the later line wins.
                let earlier = i % 74 == 0 ? i - 1 : (i * 7919) % i
                let surname = Self.surname(of: base[(i + 1) % base.count])
                let again = Self.replacingSurname(base[earlier], with: surname)
                lines.append(again)
                lastSurname[Self.id(of: again)] = surname
                duplicates += 1
            }
        }
        let server = try RunningServer(customers: testCustomers())
        let big = server.directory + "/big.ndjson"
        // The last line has no newline: it is a line all the same.
        try lines.joined(separator: "\n").write(toFile: big, atomically: true, encoding: .utf8)
        let small = server.directory + "/small.ndjson"
        try [base[0], base[1], "{}", Self.replacingSurname(base[2], with: "Efterman")].joined(separator: "\n").write(
            toFile: small, atomically: true, encoding: .utf8)
        lastSurname[Self.id(of: base[2])] = "Efterman"

        let op = try server.session("operator", purpose: nil, contract: nil)
        let before = try XCTUnwrap(op.call("admin.info").result?["persons"]?.int64Value)
        let report = try XCTUnwrap(
            op.call(
                "admin.import", params: "{\"paths\":[\"\(big)\",\"\(small)\"],\"region\":\"07\",\"mode\":\"delta\"}"
            ).result)
        XCTAssertEqual(report["inserted"]?.int64Value, 20000)
        XCTAssertEqual(report["updated"]?.int64Value, Int64(duplicates + 3))
        XCTAssertEqual(report["rejected"]?.int64Value, Int64(rejected.count + 1))
        let errors = (report["errors"]?.arrayValue ?? []).compactMap(\.objectValue)
        XCTAssertEqual(errors.count, rejected.count + 1)
        XCTAssertEqual(errors.dropLast().compactMap { $0["line"]?.int64Value }, rejected.map { Int64($0.line) })
        for (error, expected) in zip(errors, rejected) {
            XCTAssertTrue(error["reason"]?.stringValue?.contains(expected.reason) ?? false, "\(error)")
            XCTAssertEqual(error["file"]?.int64Value, 1)
        }
        XCTAssertEqual(errors.last?["line"]?.int64Value, 3)
        XCTAssertEqual(errors.last?["file"]?.int64Value, 2)
        XCTAssertEqual(try op.call("admin.info").result?["persons"]?.int64Value, before + 20000)

        let reader = try server.session()
        let sample = lastSurname.keys.sorted().enumerated().filter { $0.offset % 97 == 0 }.map(\.element)
        func check(_ reader: LineClient) throws {
            for id in sample + [Self.id(of: base[2]), Self.id(of: base[base.count - 1])] {
                let person = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(id)\"}").result, id)
                XCTAssertEqual(person["name"]?.objectValue?["surname"]?.stringValue, lastSurname[id], id)
            }
        }
        try check(reader)

        // Durable before the answer: a restart finds the same.
        XCTAssertEqual(server.stop(), 0)
        let again = try RunningServer(directory: server.directory, customers: testCustomers())
        try check(try again.session())
        let op2 = try again.session("operator", purpose: nil, contract: nil)
        XCTAssertEqual(try op2.call("admin.info").result?["persons"]?.int64Value, before + 20000)
    }

    private static func id(of line: String) -> String {
        let value = line.range(of: "\"value\":\"")!
        return String(line[value.upperBound...].prefix { $0 != "\"" })
    }

    private static func surname(of line: String) -> String {
        let field = line.range(of: "\"surname\":\"")!
        return String(line[field.upperBound...].prefix { $0 != "\"" })
    }

    private static func replacingSurname(_ line: String, with surname: String) -> String {
        let field = line.range(of: "\"surname\":\"")!
        let end = line[field.upperBound...].firstIndex(of: "\"")!
        return String(line[..<field.upperBound]) + surname + String(line[end...])
    }
}
