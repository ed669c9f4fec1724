import FolkbokAudit
import FolkbokJSON
import FolkbokModel
import XCTest

@testable import FolkbokProtocol

/// The byte-level `person.get` recogniser against the general parser: over random lines near
/// the common shape (member order, whitespace, ids, identities, profiles, extra or repeated
/// members, wrong versions and methods), both ways answer the same bytes and log the same
/// access-log entries, in every kind of session.
final class FastGetTests: XCTestCase {
    /// A line near the common shape: half of them only vary what the recogniser must take
    /// (member order, whitespace, id, identity, profile), the other half also what it must leave.
    static func line(_ rng: inout SplitMix64) -> String {
        let noisy = Bool.random(using: &rng)
        func pick(_ good: [String], _ bad: [String] = []) -> String {
            noisy && !bad.isEmpty && Int.random(in: 0..<3, using: &rng) == 0
                ? bad.randomElement(using: &rng)! : good.randomElement(using: &rng)!
        }
        func chance(_ n: Int) -> Bool { Int.random(in: 0..<n, using: &rng) == 0 }
        func space() -> String { chance(4) ? pick([" ", "\t", "  ", "\r"]) : "" }
        var members: [String] = []
        if !chance(5) { members.append("\"jsonrpc\":" + space() + pick(["\"2.0\""], ["\"1.0\"", "2"])) }
        if !(noisy && chance(8)) {
            members.append(
                "\"id\":" + space()
                    + pick(
                        ["7", "0", "-5", "123456789012345678", "\"abc\"", "\"x/y\""],
                        ["1234567890123456789", "007", "1.5", "1e3", "\"a\\\"b\"", "null", "true", "\"é\""]))
        }
        members.append("\"method\":" + space() + pick(["\"person.get\""], ["\"person.getMany\"", "\"ping\""]))
        var params: [String] = []
        if !(noisy && chance(8)) {
            params.append(
                "\"id\":" + space()
                    + pick(
                        [
                            "\"\(ServiceHarness.plain)\"", "\"\(ServiceHarness.sekretess)\"",
                            "\"\(ServiceHarness.skyddad)\"",
                            "\"19121212-1212\"", "\"191212121213\"", "\"201212121212\"", "\"\"", "\"abc\"",
                        ],
                        ["\"é\"", "\"19121212\\u0031212\"", "191212121212"]))
        }
        if chance(3) {
            params.append(
                "\"profile\":" + space()
                    + pick(["\"P1\"", "\"P2\"", "\"P3\"", "\"P4\"", "\"P5\""], ["\"P9\"", "3", "null"]))
        }
        if noisy && chance(4) {
            params.append(pick(["\"view\":\"fhir\"", "\"followLinks\":false", "\"x\":1", "\"id\":\"191212121212\""]))
        }
        params.shuffle(using: &rng)
        if !(noisy && chance(10)) {
            members.append(
                "\"params\":" + space() + pick(["{" + params.joined(separator: "," + space()) + "}"], ["null", "[]"]))
        }
        if noisy && chance(6) { members.append(pick(["\"method\":\"person.get\"", "\"extra\":1", "\"id\":8"])) }
        members.shuffle(using: &rng)
        var text =
            space() + "{" + space() + members.joined(separator: space() + "," + space()) + space() + "}" + space()
        if noisy && chance(10) { text += pick(["x", "}", "{}"]) }
        if noisy && chance(10) { text = String(text.dropLast(Int.random(in: 1...5, using: &rng))) }
        return text
    }

    func test_randomLines_fastAndGeneralWays_answerAndLogTheSame() async {
        var rng = SplitMix64(seed: 2026)
        var fastTaken = 0, lines = 0
        for customer in [nil, "operator", "region-ext", "muni"] {
            let h = await ServiceHarness()
            if let customer {
                _ = await h.open(
                    customer, purpose: customer == "operator" ? nil : (customer == "muni" ? "hr" : "care"),
                    contract: customer == "operator" ? nil : "normal")
            }
            for _ in 0..<1500 {
                let line = Self.line(&rng)
                if FastGet.recognize(Array(line.utf8)[...]) != nil { fastTaken += 1 }
                let before = h.audit.all.count
                let fast = await h.send(line)
                let afterFast = h.audit.all
                let general = await h.send(line, general: true)
                let afterGeneral = h.audit.all
                XCTAssertEqual(fast, general, line)
                let fastEntries = afterFast[before...].map { e -> AuditEntry in
                    var e = e
                    e.seq = 0
                    return e
                }
                let generalEntries = afterGeneral[afterFast.count...].map { e -> AuditEntry in
                    var e = e
                    e.seq = 0
                    return e
                }
                XCTAssertEqual(fastEntries, generalEntries, line)
                lines += 1
            }
        }
        XCTAssertGreaterThan(fastTaken, lines / 4, "the recogniser took a fair share of the lines")
        XCTAssertLessThan(fastTaken, lines, "and left others to the general way")
    }

    func test_commonShapes_areRecognised_othersAreNot() {
        let yes = [
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\"}}",
            "{\"params\":{\"profile\":\"P2\",\"id\":\"19121212-1212\"},\"method\":\"person.get\",\"id\":\"a\"}",
            " { \"id\" : -1 , \"method\" : \"person.get\" , \"params\" : { \"id\" : \"x\" } } ",
        ]
        let no = [
            "{\"id\":7,\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\",\"view\":\"fhir\"}}",
            "{\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\"}}",
            "{\"id\":7,\"id\":8,\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\"}}",
            "{\"id\":1.0,\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\"}}",
            "{\"id\":7,\"method\":\"person.get\",\"params\":{\"id\":\"1912\\u00312121212\"}}",
            "{\"id\":7,\"method\":\"person.get\",\"params\":{\"id\":\"191212121212\"}}x",
        ]
        for line in yes { XCTAssertNotNil(FastGet.recognize(Array(line.utf8)[...]), line) }
        for line in no { XCTAssertNil(FastGet.recognize(Array(line.utf8)[...]), line) }
    }
}
