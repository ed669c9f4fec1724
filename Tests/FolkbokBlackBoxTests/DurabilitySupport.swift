import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Valid, unique personnummer for test person `n` (born 1980 onwards, serial 100–999).
func testNumber(_ n: Int) -> String {
    let date = Calendar(identifier: .gregorian).date(
        byAdding: .day, value: n / 900,
        to: DateComponents(calendar: .init(identifier: .gregorian), year: 1980, month: 1, day: 1).date!)!
    let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
    let body = String(format: "%02d%02d%02d%03d", c.year! % 100, c.month!, c.day!, 100 + n % 900)
    var sum = 0
    for (i, ch) in body.enumerated() {
        var d = Int(String(ch))! * (i % 2 == 0 ? 2 : 1)
        if d > 9 { d -= 9 }
        sum += d
    }
    return "19" + body + String((10 - sum % 10) % 10)
}

/// One NDJSON import line for test person `n` whose given name carries `tag`.
func importLine(_ n: Int, tag: String) -> String {
    "{\"id\":{\"kind\":\"personnummer\",\"value\":\"\(testNumber(n))\"},\"name\":{\"given\":\"\(tag)\",\"surname\":\"Crash\"},\"county\":\"01\"}"
}

extension RunningServer {
    /// Imports the persons `numbers` with `tag`; answers whether the server acknowledged it.
    func importPersons(_ client: LineClient, _ numbers: [Int], tag: String, file: String) throws -> Bool {
        try (numbers.map { importLine($0, tag: tag) }.joined(separator: "\n") + "\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        let answer = try client.call(
            "admin.import", params: "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"delta\"}")
        return answer.result?["rejected"]?.int64Value == 0
    }

    /// The given names of the persons `numbers` (nil where absent), asked as the region.
    func givenNames(_ numbers: [Int]) throws -> [String?] {
        let client = try session()
        var names: [String?] = []
        for chunk in stride(from: 0, to: numbers.count, by: 500).map({
            Array(numbers[$0..<min(numbers.count, $0 + 500)])
        }) {
            let ids = chunk.map { "\"\(testNumber($0))\"" }.joined(separator: ",")
            let answer = try client.call("person.getMany", params: "{\"ids\":[\(ids)]}")
            let results = answer.result?["results"]?.arrayValue ?? []
            XCTAssertEqual(results.count, chunk.count)
            names += results.map { $0.objectValue?["record"]?.objectValue?["name"]?.objectValue?["given"]?.stringValue }
        }
        return names
    }
}
