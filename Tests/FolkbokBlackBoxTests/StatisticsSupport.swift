import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Customer ids of the statistics tests.
enum StatsCustomer {
    static let region01 = "SE2321000016-0001"
    static let region03 = "SE2321000032-0003"
    static let municipality = "SE2120000001-0180"
    static let privateProvider = "SE5561234567-0001"
    static let operatorID = "operator"
}

/// Customers for the statistics tests: an admin region 01 (extended too, bilateral with 03), a
/// region 03, a municipality 0180, a publicly contracted private provider and the operator.
/// `identified` lists the customers whose `statisticsExports` also allow `identified`; the others
/// keep the default.
func statisticsCustomers(identified: Set<String> = []) -> String {
    let uid = getuid()
    func exports(_ id: String) -> String {
        identified.contains(id) ? ",\"statisticsExports\":[\"aggregated\",\"pseudonymised\",\"identified\"]" : ""
    }
    return """
        {"customers":[
         {"id":"\(StatsCustomer.region01)","name":"Region 01","category":"region","region":"01","contracts":["normal","extended"],
          "purposes":["care","administration"],"dataProcessingAgreement":true,"admin":true,"bilateralRegions":["03"],"uids":[\(uid)]\(exports(StatsCustomer.region01))},
         {"id":"\(StatsCustomer.region03)","name":"Region 03","category":"region","region":"03","contracts":["normal"],
          "purposes":["care"],"dataProcessingAgreement":true,"uids":[\(uid)]\(exports(StatsCustomer.region03))},
         {"id":"\(StatsCustomer.municipality)","name":"Kommun","category":"municipality","municipality":"0180","contracts":["normal"],
          "purposes":["municipal","hr"],"dataProcessingAgreement":true,"uids":[\(uid)]\(exports(StatsCustomer.municipality))},
         {"id":"\(StatsCustomer.privateProvider)","name":"Vårdbolaget","category":"private","publiclyContracted":true,"contracts":["normal"],
          "purposes":["care"],"dataProcessingAgreement":true,"uids":[\(uid)]\(exports(StatsCustomer.privateProvider))},
         {"id":"\(StatsCustomer.operatorID)","name":"Operations","category":"operator","uids":[\(uid)]}]}
        """
}

/// A valid 12-digit personnummer born on the given date with serial `serial` (100–999); the
/// serial's last digit is the gender digit (odd M, even F).
func personnummer(_ year: Int, _ month: Int, _ day: Int, serial: Int) -> String {
    let body = String(format: "%02d%02d%02d%03d", year % 100, month, day, serial)
    var sum = 0
    for (i, ch) in body.enumerated() {
        var d = Int(String(ch))! * (i % 2 == 0 ? 2 : 1)
        if d > 9 { d -= 9 }
        sum += d
    }
    return String(format: "%04d", year) + body.dropFirst(2) + String((10 - sum % 10) % 10)
}

/// A person the statistics tests import, with the facts that decide age band and sex.
struct StatsPerson {
    let number: String
    let birthDate: String
    let sex: String
    let surname: String
    var protection = "none"

    init(_ year: Int, _ month: Int, _ day: Int, serial: Int, sex: String, surname: String, protection: String = "none")
    {
        number = personnummer(year, month, day, serial: serial)
        birthDate = String(format: "%04d-%02d-%02d", year, month, day)
        self.sex = sex
        self.surname = surname
        self.protection = protection
    }

    var importLine: String {
        "{\"id\":{\"kind\":\"personnummer\",\"value\":\"\(number)\"},\"name\":{\"given\":\"Stina\",\"surname\":\"\(surname)\"},"
            + "\"birthDate\":\"\(birthDate)\",\"sex\":\"\(sex)\",\"protection\":\"\(protection)\",\"county\":\"01\"}"
    }
}

extension RunningServer {
    /// An operator session.
    func operatorSession() throws -> LineClient { try session(StatsCustomer.operatorID, purpose: nil, contract: nil) }

    /// A session as `customer` with staff id `user` (none when nil).
    func session(
        _ customer: String, purpose: String, contract: String = "normal", user: String?,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> LineClient {
        let c = try client()
        let userParam = user.map { ",\"user\":\"\($0)\"" } ?? ""
        let answer = try c.call(
            "session.open",
            params: "{\"customer\":\"\(customer)\",\"purpose\":\"\(purpose)\",\"contract\":\"\(contract)\"\(userParam)}"
        )
        XCTAssertNotNil(answer.result, "session.open as \(customer): \(answer)", file: file, line: line)
        return c
    }

    /// Imports `persons` into `region` (delta), failing the test unless all are accepted.
    func importStatsPersons(
        _ op: LineClient, _ persons: [StatsPerson], region: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let path = directory + "/import-\(region)-\(UUID().uuidString.prefix(6)).ndjson"
        try (persons.map(\.importLine).joined(separator: "\n") + "\n").write(
            toFile: path, atomically: true, encoding: .utf8)
        let report = try op.result(
            "admin.import", "{\"path\":\"\(path)\",\"region\":\"\(region)\",\"mode\":\"delta\"}", file: file, line: line
        )
        XCTAssertEqual(report["rejected"]?.int64Value, 0, "import \(report)", file: file, line: line)
        XCTAssertEqual(report["inserted"]?.int64Value, Int64(persons.count), "import \(report)", file: file, line: line)
    }

    /// The regular files under `<data>/exports` (names only).
    var exportFiles: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory + "/data/exports")) ?? []
    }

    func killDashNine() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// The rows of a `stats.open` / `stats.get` result.
func statsRows(_ result: JSONObject) -> [JSONObject] { (result["rows"]?.arrayValue ?? []).compactMap(\.objectValue) }

/// A row's `by` values joined with `|` (`null` for a null value): `"full|F"`.
func statsKey(_ row: JSONObject, _ by: [String]) -> String {
    by.map { row[$0]?.stringValue ?? "null" }.joined(separator: "|")
}

/// `(key, lookups)` of each row in answer order; lookups nil for a suppressed row.
func statsCells(_ result: JSONObject, _ by: [String]) -> [(key: String, lookups: Int64?)] {
    statsRows(result).map { (statsKey($0, by), $0["lookups"]?.int64Value) }
}

/// The lookups per key summed over periods (a key appears once however many periods hold it).
func statsTotals(_ result: JSONObject, _ by: [String]) -> [String: Int64] {
    var totals: [String: Int64] = [:]
    for row in statsRows(result) { totals[statsKey(row, by), default: 0] += row["lookups"]?.int64Value ?? 0 }
    return totals
}

/// The params JSON of a stats query: `{"by":[...],...}` plus `extra` members.
func statsParams(by: [String] = [], _ extra: String = "") -> String {
    var members: [String] = []
    if !by.isEmpty { members.append("\"by\":[" + by.map { "\"\($0)\"" }.joined(separator: ",") + "]") }
    if !extra.isEmpty { members.append(extra) }
    return "{" + members.joined(separator: ",") + "}"
}

/// Today's UTC date, `YYYY-MM-DD`.
func utcToday() -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    return f.string(from: Date())
}

/// The counted methods: an access-log entry of one of them in a customer session is a lookup.
let countedMethods: Set<String> = ["person.get", "person.getMany", "person.search", "extract.create", "reserve.get"]

/// Access-log entries of `customer` on UTC day `day` (every page), read as the operator.
func auditEntries(_ op: LineClient, customer: String, day: String) throws -> [JSONObject] {
    var entries: [JSONObject] = []
    var cursor: String?
    repeat {
        let cursorParam = cursor.map { ",\"cursor\":\"\($0)\"" } ?? ""
        let page = try op.result(
            "audit.query",
            "{\"customer\":\"\(customer)\",\"from\":\"\(day)T00:00:00Z\",\"to\":\"\(day)T23:59:59.999999Z\",\"limit\":1000\(cursorParam)}"
        )
        entries += (page["entries"]?.arrayValue ?? []).compactMap(\.objectValue)
        cursor = page["cursor"]?.stringValue
    } while cursor != nil
    return entries
}

/// Polls `condition` every 50 ms until it holds or `seconds` pass; answers whether it held.
func eventually(within seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() > deadline { return false }
        usleep(50_000)
    }
}

extension LineClient {
    /// The error object of a call that must fail (empty when it did not).
    func failure(_ method: String, _ params: String) throws -> JSONObject {
        try call(method, params: params)["error"]?.objectValue ?? JSONObject()
    }

    /// Closes the connection's sending and receiving side so the server sees it end now.
    func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }
}

/// Runs the folkbok binary like `runFolkbok`, but kills it after `seconds` (a command that should
/// exit at once must not hang the test run when it starts a server by mistake).
func runFolkbok(_ arguments: [String], timeout seconds: Double) throws -> (
    status: Int32, out: String, err: String, timedOut: Bool
) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: RunningServer.binary)
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let finished = eventually(within: seconds) { !p.isRunning }
    if !finished { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    return (
        p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self),
        !finished
    )
}
