import Foundation
import XCTest

/// Package.swift declares exactly what each target imports: every module a target's files
/// `import` is in its `dependencies` (nothing arrives only transitively), and every dependency
/// is imported by some file of the target (nothing declared and unused). System modules are
/// not declared. The black-box tests depend on `folkbok` to have the binary built, not to
/// import it.
final class PackageImportsTests: XCTestCase {
    private static let system: Set<String> = ["Foundation", "Glibc", "Dispatch", "Synchronization", "XCTest"]

    private struct Target {
        var name: String
        var kind: String
        var path: String?
        var dependencies: Set<String>
    }

    /// The targets of Package.swift, read from its text: each `.target(`, `.testTarget(` or
    /// `.executableTarget(` up to the next, with its `name:`, `path:` and `dependencies: [...]`.
    private func targets() throws -> [Target] {
        let manifest = try ProtocolDocumentationTests.read("Package.swift")
        let kinds = try NSRegularExpression(pattern: #"\.(target|testTarget|executableTarget)\("#)
        let whole = NSRange(manifest.startIndex..., in: manifest)
        let starts = kinds.matches(in: manifest, range: whole)
        var out: [Target] = []
        for (i, match) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1].range.location : whole.length
            let text = (manifest as NSString).substring(
                with: NSRange(location: match.range.location, length: end - match.range.location))
            let kind = (manifest as NSString).substring(with: match.range(at: 1))
            func first(_ pattern: String) -> String? {
                let re = try! NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
                guard let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
                return (text as NSString).substring(with: m.range(at: 1))
            }
            guard let name = first(#"name: "([^"]+)""#) else { continue }
            let list = first(#"dependencies: \[([^\]]*)\]"#) ?? ""
            let quoted = try NSRegularExpression(pattern: #""([^"]+)""#)
            let deps = quoted.matches(in: list, range: NSRange(list.startIndex..., in: list)).map {
                (list as NSString).substring(with: $0.range(at: 1))
            }
            out.append(Target(name: name, kind: kind, path: first(#"path: "([^"]+)""#), dependencies: Set(deps)))
        }
        return out
    }

    /// The modules the Swift files under `directory` import.
    private func imports(under directory: URL) -> Set<String> {
        var found: Set<String> = []
        let pattern = try! NSRegularExpression(
            pattern: #"^(?:@testable |@_spi\([^)]*\) |package |public )?import (?:struct |class |enum |func )?(\w+)"#,
            options: [.anchorsMatchLines])
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift", let text = try? String(contentsOf: url, encoding: .utf8) else {
                continue
            }
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                found.insert((text as NSString).substring(with: m.range(at: 1)))
            }
        }
        return found
    }

    func test_everyTarget_declaresExactlyWhatItImports() throws {
        let all = try targets()
        XCTAssertGreaterThan(all.count, 10, "Package.swift's targets were not found: update this test's reader")
        for target in all {
            let path = target.path ?? (target.kind == "testTarget" ? "Tests/" : "Sources/") + target.name
            let directory = ProtocolDocumentationTests.root.appendingPathComponent(path)
            let imported = imports(under: directory)
            let hasSwift = (FileManager.default.enumerator(atPath: directory.path)?.allObjects as? [String] ?? [])
                .contains { $0.hasSuffix(".swift") }
            guard hasSwift else { continue }  // a C target declares no imports
            let undeclared = imported.subtracting(target.dependencies).subtracting(Self.system)
            let buildOnly: Set<String> = target.name == "FolkbokBlackBoxTests" ? ["folkbok"] : []
            let unused = target.dependencies.subtracting(imported).subtracting(buildOnly)
            XCTAssertEqual(undeclared, [], "\(target.name) imports modules Package.swift does not declare for it")
            XCTAssertEqual(unused, [], "\(target.name) declares dependencies none of its files imports")
        }
    }
}
