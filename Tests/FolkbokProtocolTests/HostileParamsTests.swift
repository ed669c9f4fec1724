import FolkbokJSON
import XCTest

/// Every method × every param × numbers and values a client may send to hurt the server
/// (docs/PROTOCOL.md "Transport": no parameter value stops the server, -32602 at worst). A trap
/// ends this test process, so reaching the assertions at all is part of the check.
final class HostileParamsTests: XCTestCase {
    static let methods: [(String, [String])] = [
        ("ping", []), ("session.open", ["customer", "purpose", "contract", "user"]),
        ("person.get", ["id", "profile", "view", "followLinks"]),
        ("person.getMany", ["ids", "profile", "view", "followLinks"]),
        (
            "person.search",
            ["surname", "given", "birthDate", "postalCode", "municipality", "street", "limit", "cursor", "profile"]
        ),
        ("reserve.assign", ["person"]), ("reserve.register", ["kind", "value", "issuer"]),
        ("reserve.update", ["reserve", "person"]),
        ("reserve.get", ["reserve", "profile"]), ("reserve.link", ["reserve", "to"]), ("reserve.unlink", ["reserve"]),
        ("contact.set", ["id", "email", "phone", "consent", "ifVersion"]),
        ("contact.delete", ["id", "kind", "ifVersion"]),
        ("extract.create", ["region", "changedSince", "profile"]), ("admin.info", []), ("admin.snapshot", []),
        ("audit.query", ["person", "customer", "from", "to", "limit", "cursor"]), ("audit.verify", ["from", "to"]),
        ("stats.open", ["from", "to", "granularity", "by", "format"]),
        ("stats.get", ["from", "to", "granularity", "by", "customer", "sessions"]),
        ("stats.export", ["kind", "from", "to", "by", "granularity"]), ("stats.fetch", ["export"]),
        ("stats.exports", []), ("stats.delete", ["export"]),
    ]

    /// Valid params each method starts from, so that a hostile value reaches the checks
    /// behind the first ones (one key is replaced or added at a time).
    static let base: [String: [String: String]] = [
        "session.open": ["customer": "\"region-ext\"", "purpose": "\"care\"", "contract": "\"normal\""],
        "person.get": ["id": "\"191212121212\""], "person.getMany": ["ids": "[\"191212121212\"]"],
        "person.search": ["surname": "\"Tolvansson\"", "limit": "5"],
        "contact.set": [
            "id": "\"191212121212\"", "email": "\"a@example.se\"",
            "consent": "{\"source\":\"1177\",\"date\":\"2026-01-02\"}", "ifVersion": "3",
        ],
        "contact.delete": ["id": "\"191212121212\"", "kind": "\"email\"", "ifVersion": "3"],
        "extract.create": ["region": "\"01\"", "changedSince": "0"],
        "audit.query": ["person": "\"191212121212\"", "limit": "10", "from": "\"2026-11-01\"", "to": "\"2026-11-30\""],
        "audit.verify": ["from": "\"2026-11-01\"", "to": "\"2026-11-30\""],
        "stats.open": ["from": "\"2026-11-01\"", "to": "\"2026-11-30\"", "granularity": "\"day\""],
        "stats.get": ["from": "\"2026-11-01\"", "to": "\"2026-11-30\"", "granularity": "\"hour\""],
        "stats.export": ["kind": "\"aggregated\"", "from": "\"2026-11-01\"", "to": "\"2026-11-30\""],
    ]

    static func line(_ method: String, _ key: String, _ value: String) -> String {
        var params = base[method] ?? [:]
        params[key] = value
        let members = params.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\(method)\",\"params\":{\(members)}}"
    }

    static let values = [
        "9223372036854775808", "9223372036854775807", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "-9223372036854775809", "-1", "0", "-0", "1.5", "1e400", "-1e400", "1e-400",
        "4294967296",
        "\"\"", "\"-1\"", "\"9223372036854775808\"", "\"9999-99-99\"", "\"0000-01-01\"", "\"-0001-01-01\"",
        "\"99999-01-01\"",
        "\"2026-02-30\"", "\"2026-13-01T25:61:61.9999999999Z\"", "\"zzzzzzzzzzzzzzzzzzzzzz\"", "\"\\u0000\"",
        "\"\(String(repeating: "9", count: 400))\"", "null", "true", "[]", "{}", "[[[[[[]]]]]]", "[-1,1e400,\"x\",{}]",
        "{\"source\":1e400,\"date\":\"9999-99-99\"}", "{\"source\":\"1177\",\"date\":\"0000-00-00\"}",
    ]

    func test_everyParamOfEveryMethod_withHostileValues_isAnsweredNeverTraps() async {
        for customer in [nil, "operator", "region-ext"] {
            let h = await ServiceHarness()
            if let customer {
                _ = await h.open(
                    customer, purpose: customer == "operator" ? nil : "care",
                    contract: customer == "operator" ? nil : "normal")
            }
            for (method, keys) in Self.methods {
                for key in keys {
                    for value in Self.values {
                        let line = Self.line(method, key, value)
                        // A streamed answer (extract.create) ends with its final object.
                        let last = await h.send(line)?.split(separator: "\n").last.map(String.init)
                        guard let last, let answer = try? JSONParser.parse(Array(last.utf8)) else {
                            XCTFail("no answer to \(method) \(key)=\(value)")
                            continue
                        }
                        XCTAssertTrue(
                            answer["result"] != nil || answer["error"] != nil, "\(method) \(key)=\(value): \(answer)")
                        if let code = answer.errorCode {
                            XCTAssertNotEqual(code, -32603, "\(method) \(key)=\(value) is an internal error")
                        }
                    }
                }
            }
        }
    }

    func test_limitBeyondInt64_isInvalidParamsNamingIt() async {
        let h = await ServiceHarness()
        for method in ["person.search", "audit.query"] {
            let params =
                method == "person.search"
                ? "{\"surname\":\"Tolvansson\",\"limit\":9223372036854775808}" : "{\"limit\":9223372036854775808}"
            let answer = await h.json("{\"id\":1,\"method\":\"\(method)\",\"params\":\(params)}")
            XCTAssertEqual(answer?.errorCode, -32602, method)
            XCTAssertTrue(answer?["error"]?["message"]?.stringValue?.contains("\"limit\"") == true, method)
        }
    }
}
