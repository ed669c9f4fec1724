import FolkbokJSON
import Foundation
import XCTest

@testable import FolkbokProtocol

/// `docs/PROTOCOL.md` documents exactly the methods the server dispatches: each method has a
/// heading `### method.name` (nothing else on the line), every such heading names a method in
/// `Service.swift`'s `switch request.method`, and the service answers each documented name
/// with something other than -32601. Other level-3 headings start with a capital letter, so a
/// misspelt method heading cannot pass for a section title.
final class ProtocolDocumentationTests: XCTestCase {
    /// The repository root: three levels above this file (Tests/FolkbokProtocolTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The `case "…":` names of the `switch request.method` in Service.swift, in order.
    static func dispatchedMethods() throws -> [String] {
        let lines = try read("Sources/FolkbokProtocol/Service.swift").split(
            separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("switch request.method {") }) else {
            XCTFail("Service.swift has no `switch request.method {`: update this test to find the dispatch")
            return []
        }
        var methods: [String] = []
        for line in lines[(start + 1)...] {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("default:") { return methods }
            guard trimmed.hasPrefix("case ") else { continue }
            guard let name = quotedCaseName(trimmed) else {
                XCTFail("unrecognised dispatch line (expected `case \"method.name\":`): \(trimmed)")
                continue
            }
            methods.append(name)
        }
        XCTFail("the dispatch switch in Service.swift has no `default:`")
        return methods
    }

    /// `x` from `case "x": …`, or nil for any other shape.
    static func quotedCaseName(_ line: Substring) -> String? {
        let rest = line.dropFirst("case \"".count)
        guard line.hasPrefix("case \""), let close = rest.firstIndex(of: "\""),
            rest[rest.index(after: close)...].hasPrefix(":")
        else { return nil }
        return String(rest[..<close])
    }

    /// Whether `text` is shaped like a method name: lower-case first, ASCII letters in dot-separated parts.
    static func isMethodName(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLowercase else { return false }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLetter } }
    }

    /// The method headings of docs/PROTOCOL.md, in order; fails on a level-3 heading that is
    /// neither a bare method name nor a capitalised title. Fenced code is skipped.
    static func documentedMethods() throws -> [String] {
        var methods: [String] = []
        var inFence = false
        for line in try read("docs/PROTOCOL.md").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle() }
            guard !inFence, line.hasPrefix("### ") else { continue }
            let heading = line.dropFirst(4)
            if let first = heading.first, first.isUppercase { continue }
            guard isMethodName(heading) else {
                XCTFail(
                    "docs/PROTOCOL.md heading `### \(heading)` is neither `### method.name` alone nor a capitalised title"
                )
                continue
            }
            methods.append(String(heading))
        }
        return methods
    }

    func testEveryDispatchedMethodIsDocumented_andEveryDocumentedMethodIsDispatched() throws {
        let dispatched = try Self.dispatchedMethods()
        let documented = try Self.documentedMethods()
        XCTAssertGreaterThanOrEqual(dispatched.count, 20, "the dispatch switch was not read: \(dispatched)")
        XCTAssertEqual(Set(dispatched).count, dispatched.count, "a method is dispatched twice")
        for name in Set(documented) where documented.filter({ $0 == name }).count > 1 {
            XCTFail("docs/PROTOCOL.md documents \(name) more than once")
        }
        for name in dispatched where !documented.contains(name) {
            XCTFail("\(name) is dispatched by Service.swift but has no `### \(name)` heading in docs/PROTOCOL.md")
        }
        for name in documented where !dispatched.contains(name) {
            XCTFail("docs/PROTOCOL.md documents \(name), which Service.swift does not dispatch")
        }
    }

    /// The same check at run time: every documented method reaches a handler (whatever it then
    /// answers without a session or params), and an undocumented name does not.
    func testEveryDocumentedMethodIsAnsweredByTheService() async throws {
        let harness = await ServiceHarness()
        func code(_ method: String) async -> Int? {
            let answer = await harness.json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(method)\",\"params\":{}}")
            return answer?["error"]?["code"]?.int64Value.map { Int($0) }
        }
        for method in try Self.documentedMethods() {
            let answered = await code(method)
            XCTAssertNotEqual(answered, -32601, "\(method) is documented but the service does not know it")
        }
        let unknown = await code("no.suchMethod")
        XCTAssertEqual(unknown, -32601)
    }

    /// The README and the protocol reference link only to files inside the repository that exist.
    func testReadmeAndProtocolReferenceLinkOnlyToFilesInTheRepository() throws {
        for document in ["README.md", "docs/PROTOCOL.md"] {
            let text = try Self.read(document)
            let directory = Self.root.appendingPathComponent(document).deletingLastPathComponent()
            var rest = Substring(text)
            while let open = rest.range(of: "](") {
                rest = rest[open.upperBound...]
                guard let close = rest.firstIndex(of: ")") else { break }
                let target = String(rest[..<close].prefix { $0 != "#" })
                rest = rest[close...]
                guard !target.isEmpty, !target.contains("://") else { continue }
                let resolved = directory.appendingPathComponent(target).standardizedFileURL.path
                XCTAssertTrue(
                    resolved.hasPrefix(Self.root.standardizedFileURL.path + "/"),
                    "\(document) links outside the repository: \(target)")
                XCTAssertTrue(
                    FileManager.default.fileExists(atPath: resolved), "\(document) links to a missing file: \(target)")
            }
        }
    }
}
