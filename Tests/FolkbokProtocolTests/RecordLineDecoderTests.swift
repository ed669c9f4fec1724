import FolkbokDemo
import FolkbokJSON
import FolkbokModel
import Foundation
import XCTest

@testable import FolkbokProtocol

/// `RecordLineDecoder` against its model (`JSONParser` + `RecordDecoder`): over generated
/// records and thousands of mutated and malformed lines, the import's decoding (fast path,
/// model for what it leaves) answers exactly what the model answers, records and rejection
/// reasons alike, and the fast path itself takes every ordinary generated line.
final class RecordLineDecoderTests: XCTestCase {
    private let today = CivilDate(year: 2026, month: 12, day: 7)!

    /// Generated records as the generator writes them, some with P4 details, contact details,
    /// foreign addresses and unusual statuses.
    private func records(_ count: Int) -> [PersonRecord] {
        var out = Array(
            SyntheticPopulation.make(
                count: count, seed: 11, region: "01", today: CivilDate(year: 2026, month: 1, day: 1)!)
        )
        for i in out.indices {
            if i % 4 == 1 { out[i].details = P4Samples.details(i * 3) }
            if i % 9 == 2 {
                out[i].contact = ContactDetails(
                    email: "a\(i)@example.se", phone: i % 2 == 0 ? nil : "+4670000\(i)",
                    consent: Consent(source: "1177", date: CivilDate(year: 2025, month: 3, day: 4)!), version: UInt64(i)
                )
            }
            if i % 13 == 3 { out[i].foreignAddress = ForeignAddress(lines: ["Rue \(i)", "Paris"], country: "FR") }
            if i % 11 == 5 {
                out[i].status = PersonStatus(state: .deregistered, date: RegisterDate(iso: "2019"), reason: .UV)
            }
            if i % 17 == 6 { out[i].protection = .skyddad }
            if i % 19 == 7 { out[i].test = true }
        }
        return out
    }

    private func model(_ line: [UInt8]) -> Result<PersonRecord, RecordDecoder.Rejection> {
        Importer.decodeByModel(line[...], today: today)
    }

    private func fast(_ line: [UInt8]) -> PersonRecord? {
        line.withUnsafeBufferPointer { RecordLineDecoder.decode($0, today: today) }
    }

    /// The property: what the import decodes equals the model, and a record the fast path
    /// answers is the model's record.
    private func check(_ line: [UInt8], file: StaticString = #filePath, line number: UInt = #line) {
        let expected = model(line)
        if let record = fast(line) {
            XCTAssertEqual(.success(record), expected, String(decoding: line, as: UTF8.self), file: file, line: number)
        }
        XCTAssertEqual(
            Importer.decode(line[...], today: today), expected, String(decoding: line, as: UTF8.self), file: file,
            line: number)
    }

    func testGeneratedLinesTakeTheFastPathAndMatchTheModel() throws {
        for record in records(3000) {
            let line = RecordEncoder.fullView(record)
            XCTAssertEqual(fast(line), try model(line).get(), String(decoding: line, as: UTF8.self))
            XCTAssertEqual(try model(line).get().id, record.id)
        }
    }

    func testMutatedTreesMatchTheModel() throws {
        var rng = SplitMix64(seed: 42)
        var fastAccepted = 0, modelRejected = 0, total = 0
        for record in records(600) {
            let tree = try JSONParser.parse(RecordEncoder.fullView(record))
            for _ in 0..<12 {
                var mutated = tree
                let steps = 1 + Int(rng.next() % 3)
                for _ in 0..<steps { Self.mutate(&mutated, &rng, depth: 0) }
                let line = Self.write(mutated, escapeAll: rng.next() % 5 == 0, spaces: rng.next() % 4 == 0)
                check(line)
                total += 1
                if fast(line) != nil { fastAccepted += 1 }
                if case .failure = model(line) { modelRejected += 1 }
            }
        }
        // The mutations reach both sides: lines the fast path takes, lines the model rejects.
        XCTAssertGreaterThan(fastAccepted, total / 10)
        XCTAssertGreaterThan(modelRejected, total / 10)
    }

    func testMalformedBytesMatchTheModel() {
        var rng = SplitMix64(seed: 7)
        let noise: [UInt8] = [
            0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x00, 0x0A, 0x09, 0xC3, 0xA5, 0xFF, 0x80, 0x20,
        ]
        for record in records(400) {
            let line = RecordEncoder.fullView(record)
            for _ in 0..<10 {
                var bad = line
                switch rng.next() % 4 {
                case 0: bad.removeLast(1 + Int(rng.next() % UInt64(bad.count)))  // truncated
                case 1: bad[Int(rng.next() % UInt64(bad.count))] = noise[Int(rng.next() % UInt64(noise.count))]
                case 2:
                    bad.insert(noise[Int(rng.next() % UInt64(noise.count))], at: Int(rng.next() % UInt64(bad.count)))
                default: bad.remove(at: Int(rng.next() % UInt64(bad.count)))
                }
                check(bad)
            }
        }
    }

    func testHandWrittenEdgeCasesMatchTheModel() {
        let id = "\"id\":{\"kind\":\"personnummer\",\"value\":\"191212121212\"}"
        let lines = [
            "{\(id)}", " \t{\(id)} \r", "{\(id)", "{\(id)}}", "{\(id)},", "[\(id)]", "{}", "null", "\"x\"",
            "{\(id),\(id)}", "{\"id\":{\"value\":\"191212121212\",\"value\":\"191212121212\"}}",
            "{\"id\":{\"value\":\"191212121212\",\"kind\":\"samordningsnummer\"}}",
            "{\"id\":{\"value\":\"191212121212\",\"kind\":7}}", "{\"id\":{\"value\":\"191212121213\"}}",
            "{\"id\":{\"value\":191212121212}}", "{\"id\":null}", "{\"id\":{}}",
            "{\"\\u0069d\":{\"value\":\"191212121212\"}}",
            "{\(id),\"name\":{\"given\":\"\\u00c5sa\",\"surname\":\"\\ud83d\\ude00\"}}",
            "{\(id),\"name\":{\"given\":\"\\ud83d\"}}", "{\(id),\"name\":{\"given\":\"a\",\"given\":\"b\"}}",
            "{\(id),\"name\":{\"nick\":\"a\"}}", "{\(id),\"name\":\"Åsa\"}", "{\(id),\"name\":{}}",
            "{\(id),\"birthDate\":\"1912-12-12\"}", "{\(id),\"birthDate\":\"1912-13-12\"}", "{\(id),\"birthDate\":1}",
            "{\(id),\"sex\":\"F\"}", "{\(id),\"sex\":\"X\"}", "{\(id),\"sex\":null}",
            "{\(id),\"county\":\"1\"}", "{\(id),\"county\":\"0１\"}", "{\(id),\"municipality\":\"0180\"}",
            "{\(id),\"region\":\"ab\"}", "{\(id),\"protection\":\"skyddad\"}", "{\(id),\"protection\":\"x\"}",
            "{\(id),\"test\":true}", "{\(id),\"test\":\"true\"}", "{\(id),\"test\":null}", "{\(id),\"test\":1}",
            "{\(id),\"status\":{\"state\":\"deregistered\",\"date\":\"2001-05\",\"reason\":\"UV\"}}",
            "{\(id),\"status\":{\"state\":\"active\",\"reason\":\"UV\"}}", "{\(id),\"status\":{}}",
            "{\(id),\"status\":{\"state\":\"gone\"}}", "{\(id),\"status\":{\"state\":\"active\",\"date\":\"20\"}}",
            "{\(id),\"address\":{\"street\":\"Gatan 1\",\"street\":null}}", "{\(id),\"address\":[]}",
            "{\(id),\"address\":{}}", "{\(id),\"specialAddress\":{\"city\":\"Å\",\"x\":[1,{\"y\":null}]}}",
            "{\(id),\"contact\":{\"email\":\"a@b.se\",\"consent\":{\"source\":\"s\",\"date\":\"2020-01-01\"},\"version\":\"3\"}}",
            "{\(id),\"contact\":{\"email\":\"a@b.se\",\"consent\":{\"source\":\"s\",\"date\":\"2020-01-01\"},\"version\":3}}",
            "{\(id),\"contact\":{\"consent\":{\"source\":\"s\",\"date\":\"2020-01-01\"}}}",
            "{\(id),\"contact\":null,\"contact\":{\"phone\":\"1\",\"consent\":{\"source\":\"s\",\"date\":\"2020-01-01\"}}}",
            "{\(id),\"contact\":{\"phone\":\"1\",\"consent\":{\"source\":\"s\",\"date\":\"2020-01-01\"}},\"contact\":null}",
            "{\(id),\"foreignAddress\":null,\"foreignAddress\":null}", "{\(id),\"relations\":null,\"relations\":[]}",
            "{\(id),\"contact\":null,\"foreignAddress\":null,\"civilStatus\":null,\"citizenships\":null,\"birthPlace\":null,\"immigrationDate\":null,\"relations\":null,\"referredTo\":null}",
            "{\(id),\"foreignAddress\":{\"lines\":[\"a\",\"b\"],\"country\":\"FR\"}}",
            "{\(id),\"foreignAddress\":{\"lines\":[\"a\",1]}}", "{\(id),\"birthPlace\":{\"county\":null}}",
            "{\(id),\"birthPlace\":{\"county\":\"01\",\"place\":\"x\"}}", "{\(id),\"civilStatus\":{\"code\":\"G\"}}",
            "{\(id),\"relations\":[{\"type\":\"B\",\"id\":{\"kind\":\"birthTime\",\"value\":\"1\"}}]}",
            "{\(id),\"version\":7,\"limited\":false,\"history\":[{\"a\":1}],\"extra\":{\"deep\":[[[]]]}}",
            "{\(id),\"extra\":\"\u{1}\"}", "{\(id),\"extra\":01}", "{\(id),\"extra\":-0.5e+3}", "{\(id),\"extra\":tru}",
            "{\(id),\"extra\":" + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}",
            "{\(id),\"extra\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}",
            "{\(id),\"name\":{\"given\":\"a\\qb\"}}", "{\(id),\"name\":{\"given\":\"a\\/b\\n\"}}",
            "{\(id) ,\"name\" : { \"given\" : \"a\" } }", "{\(id),}", "{,\(id)}",
        ]
        for text in lines { check(Array(text.utf8)) }
        var invalid = Array("{\(id),\"name\":{\"given\":\"a\"}}".utf8)
        invalid[invalid.count - 4] = 0xFF
        check(invalid)
        XCTAssertNotNil(fast(Array("{\(id)}".utf8)))
        // A rare key's null is its absence: the fast path keeps the line (every generated line
        // has "foreignAddress":null and "contact":null).
        XCTAssertNotNil(fast(Array("{\(id),\"contact\":null,\"foreignAddress\":null,\"relations\":null}".utf8)))
        XCTAssertNotNil(fast(Array("{\(id),\"version\":7,\"extra\":{\"deep\":[[[]]]}}".utf8)))
    }

    // MARK: mutations

    private static let keys = [
        "id", "name", "birthDate", "sex", "address", "specialAddress", "foreignAddress", "county", "municipality",
        "protection", "test", "status", "region", "contact", "civilStatus", "citizenships", "birthPlace",
        "immigrationDate", "relations", "referredTo", "version", "value", "kind", "given", "surname", "street", "city",
        "state", "date", "reason", "lines", "country", "consent", "email", "unknown",
    ]

    private static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .number("1"), .number("-2.5e3"), .string(""), .string("x"),
        .string("01"), .string("0180"), .string("F"), .string("M"), .string("skyddad"), .string("active"),
        .string("deregistered"), .string("UV"), .string("2001-05"), .string("1999-12-31"), .string("Åsa \"ö\"\n"),
        .string("191212121212"), .string("personnummer"), .array([]), .array([.string("a")]), .object(JSONObject()),
        .object(JSONObject([("state", .string("deceased"))])),
    ]

    /// One random change somewhere in the tree: a member removed, replaced, duplicated or
    /// added, an array item changed, or the change made one level down.
    private static func mutate(_ v: inout JSONValue, _ rng: inout SplitMix64, depth: Int) {
        switch v {
        case .object(var o):
            let choice = rng.next() % 6
            if !o.members.isEmpty && (choice == 0 || depth < 2 && choice >= 4) {
                let i = Int(rng.next() % UInt64(o.members.count))
                if case .object = o.members[i].value {
                    mutate(&o.members[i].value, &rng, depth: depth + 1)
                } else if case .array = o.members[i].value {
                    mutate(&o.members[i].value, &rng, depth: depth + 1)
                } else {
                    o.members[i].value = values[Int(rng.next() % UInt64(values.count))]
                }
            } else if choice == 1 && !o.members.isEmpty {
                o.members.remove(at: Int(rng.next() % UInt64(o.members.count)))
            } else if choice == 2 && !o.members.isEmpty {
                let i = Int(rng.next() % UInt64(o.members.count))
                var copy = o.members[i]
                if rng.next() % 2 == 0 { copy.value = values[Int(rng.next() % UInt64(values.count))] }
                o.members.insert(copy, at: Int(rng.next() % UInt64(o.members.count + 1)))
            } else {
                let key = keys[Int(rng.next() % UInt64(keys.count))]
                o.members.insert(
                    (key, values[Int(rng.next() % UInt64(values.count))]),
                    at: Int(rng.next() % UInt64(o.members.count + 1)))
            }
            v = .object(o)
        case .array(var items):
            if !items.isEmpty && rng.next() % 2 == 0 {
                let i = Int(rng.next() % UInt64(items.count))
                mutate(&items[i], &rng, depth: depth + 1)
            } else {
                items.append(values[Int(rng.next() % UInt64(values.count))])
            }
            v = .array(items)
        default:
            v = values[Int(rng.next() % UInt64(values.count))]
        }
    }

    /// JSON text of `v`; `escapeAll` writes every non-ASCII character and some ASCII ones as
    /// `\u` escapes (keys too), `spaces` puts whitespace around the structure.
    private static func write(_ v: JSONValue, escapeAll: Bool, spaces: Bool) -> [UInt8] {
        var out: [UInt8] = []
        func ws() { if spaces { out += Array(" \t ".utf8) } }
        func string(_ s: String) {
            out.append(0x22)
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += Array("\\\"".utf8)
                case "\\": out += Array("\\\\".utf8)
                case "\n": out += Array("\\n".utf8)
                case _
                where scalar.value < 0x20 || (escapeAll && (scalar.value > 0x7E || scalar == "a" || scalar == "d")):
                    for unit in String(scalar).utf16 { out += Array(String(format: "\\u%04x", unit).utf8) }
                default: out += Array(String(scalar).utf8)
                }
            }
            out.append(0x22)
        }
        func value(_ v: JSONValue) {
            switch v {
            case .null: out += Array("null".utf8)
            case .bool(let b): out += Array((b ? "true" : "false").utf8)
            case .number(let n): out += Array(n.utf8)
            case .string(let s): string(s)
            case .array(let items):
                out.append(0x5B)
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    ws()
                    value(item)
                }
                out.append(0x5D)
            case .object(let o):
                out.append(0x7B)
                for (i, m) in o.members.enumerated() {
                    if i > 0 { out.append(0x2C) }
                    ws()
                    string(m.key)
                    ws()
                    out.append(0x3A)
                    value(m.value)
                    ws()
                }
                out.append(0x7D)
            }
        }
        ws()
        value(v)
        ws()
        return out
    }
}
