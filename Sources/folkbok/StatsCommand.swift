import FolkbokJSON
import FolkbokServer
import Foundation

/// `folkbok stats`: the usage statistics for people at a terminal: an aligned table (periods
/// down, one column per combination of the `--by` values) or CSV; `folkbok stats export`
/// creates an export and writes its rows as CSV with a header.
enum StatsCommand {
    static let queryFlags: Set<String> = ["from", "to", "by", "granularity"]

    static func run(_ words: ArraySlice<String>) {
        if words.first == "export" { return export(words.dropFirst()) }
        let args = ClientCommands.parse(words, extra: queryFlags, booleans: ["open", "csv"], usage: Usage.stats)
        guard args.positional.isEmpty else {
            Usage.fail("stats takes no arguments (or: stats export)", usage: Usage.stats)
        }
        let open = args.switches.contains("open")
        var params = queryParams(args)
        if open && args.switches.contains("csv") { params.append(("format", .string("csv"))) }
        let client = ClientSession(args).connect(open: !open)
        let answer = result(client, open ? "stats.open" : "stats.get", params)
        if let csv = answer["csv"]?.stringValue { return FileOut.stdout.write(csv) }
        let rows = answer["rows"]?.arrayValue?.compactMap(\.objectValue) ?? []
        let by = args.options["by"].map { $0.split(separator: ",").map(String.init) } ?? []
        FileOut.stdout.write(args.switches.contains("csv") ? csv(rows, by: by) : table(rows, by: by))
    }

    static func export(_ words: ArraySlice<String>) {
        let args = ClientCommands.parse(words, extra: queryFlags.union(["kind", "out"]), usage: Usage.statsExport)
        guard let kind = args.options["kind"] else { Usage.fail("stats export needs --kind", usage: Usage.statsExport) }
        let client = ClientSession(args).connect()
        let made = result(client, "stats.export", [("kind", .string(kind))] + queryParams(args))
        guard let id = made["export"]?.stringValue else { die("the server's answer has no export id") }
        var rows: [JSONObject] = []
        do {
            try client.send(
                line:
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"stats.fetch\",\"params\":{\"export\":\(ClientCommands.quoted(id))}}"
            )
            while let line = try client.readLine() {
                guard case .object(let o)? = try? JSONParser.parse(line) else {
                    die("the server sent a line that is not JSON")
                }
                if let error = o["error"] { die("stats.fetch: \(ClientSession.describe(error))") }
                if o["result"] != nil { break }
                if let row = o["row"]?.objectValue { rows.append(row) }
            }
        } catch { die(error.description) }
        let text = csv(rows, by: nil)
        if let out = args.options["out"] {
            guard
                FileManager.default.createFile(
                    atPath: out, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else {
                die("cannot write \(out)")
            }
            FileOut.stderr.write("export \(id): \(rows.count) rows written to \(out)\n")
        } else {
            FileOut.stdout.write(text)
        }
    }

    private static func queryParams(_ args: Arguments) -> [(String, JSONValue)] {
        var params: [(String, JSONValue)] = []
        for key in ["from", "to", "granularity"] { if let v = args.options[key] { params.append((key, .string(v))) } }
        if let by = args.options["by"] {
            params.append(("by", .array(by.split(separator: ",").map { .string(String($0)) })))
        }
        return params
    }

    private static func result(_ client: LineClient, _ method: String, _ params: [(String, JSONValue)]) -> JSONObject {
        var w = JSONWriter()
        w.value(.object(JSONObject(params.map { (key: $0.0, value: $0.1) })))
        let response = ClientSession.call(client, method, String(decoding: w.bytes, as: UTF8.self))
        if let error = response["error"] { die("\(method): \(ClientSession.describe(error))") }
        guard let answer = response["result"]?.objectValue else { die("the server's answer has no result") }
        return answer
    }

    /// Periods down, one column per combination of `by` values, lookups in the cells
    /// (`<N` for a suppressed public cell, `-` for none).
    static func table(_ rows: [JSONObject], by: [String]) -> String {
        var periods: [String] = [], columns: [String] = []
        var cells: [String: String] = [:]
        for row in rows {
            let period = row["period"]?.stringValue ?? ""
            let column = by.isEmpty ? "lookups" : by.map { cellText(row[$0]) }.joined(separator: "/")
            if periods.last != period && !periods.contains(period) { periods.append(period) }
            if !columns.contains(column) { columns.append(column) }
            cells[period + "\u{0}" + column] =
                row["suppressed"]?.boolValue == true ? "suppressed" : cellText(row["lookups"])
        }
        guard !rows.isEmpty else { return "no lookups in the range\n" }
        let header = ["period"] + columns
        let lines = periods.map { p in [p] + columns.map { cells[p + "\u{0}" + $0] ?? "-" } }
        let widths = header.indices.map { i in ([header] + lines).map { $0[i].count }.max() ?? 0 }
        func render(_ fields: [String]) -> String {
            fields.enumerated().map { i, f in
                i == 0
                    ? f.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - f.count) + f
            }.joined(separator: "  ")
        }
        return ([render(header)] + lines.map(render)).joined(separator: "\n") + "\n"
    }

    /// CSV with a header: the rows' keys in order (or `period`, `by`, `lookups`).
    static func csv(_ rows: [JSONObject], by: [String]?) -> String {
        let keys = by.map { ["period"] + $0 + ["lookups"] } ?? rows.first?.keys ?? ["period", "lookups"]
        var out = keys.joined(separator: ",") + "\n"
        for row in rows { out += keys.map { csvField(cellText(row[$0], empty: "")) }.joined(separator: ",") + "\n" }
        return out
    }

    private static func cellText(_ value: JSONValue?, empty: String = "null") -> String {
        guard let value, !value.isNull else { return empty }
        if let s = value.stringValue { return s }
        if let o = value.objectValue { return o["value"]?.stringValue ?? "" }
        var w = JSONWriter()
        w.value(value)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
