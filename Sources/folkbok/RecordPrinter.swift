import FolkbokJSON

/// Renders a record object as aligned "label  value" lines for people at a terminal.
enum RecordPrinter {
    static func render(_ record: JSONObject) -> String {
        var lines: [(String, String)] = []
        func text(_ v: JSONValue?) -> String? {
            switch v {
            case .string(let s)?: s
            case .number(let n)?: n
            case .bool(let b)?: b ? "yes" : "no"
            default: nil
            }
        }
        func address(_ v: JSONValue?) -> String? {
            guard let a = v?.objectValue else { return nil }
            let parts: [String?] = [
                text(a["careOf"]), text(a["street"]),
                [text(a["postalCode"]), text(a["city"])].compactMap { $0 }.joined(separator: " "),
            ]
            return parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        if let id = record["id"]?.objectValue {
            lines.append(("Identity", "\(text(id["value"]) ?? "?") (\(text(id["kind"]) ?? "?"))"))
        }
        if let name = record["name"]?.objectValue {
            let full = [text(name["given"]), text(name["middle"]), text(name["surname"])].compactMap { $0 }.joined(
                separator: " ")
            lines.append(("Name", full))
            if let call = text(name["callName"]) { lines.append(("Call name", call)) }
        }
        if let b = text(record["birthDate"]) { lines.append(("Born", b)) }
        if let s = text(record["sex"]) { lines.append(("Sex", s)) }
        if let a = address(record["address"]) { lines.append(("Address", a)) }
        if let a = address(record["specialAddress"]) { lines.append(("Special address", a)) }
        if let f = record["foreignAddress"]?.objectValue {
            let lineTexts = (f["lines"]?.arrayValue ?? []).compactMap { text($0) }
            lines.append(
                ("Foreign address", (lineTexts + [text(f["country"])].compactMap { $0 }).joined(separator: ", ")))
        }
        if let c = text(record["county"]) { lines.append(("County", c)) }
        if let m = text(record["municipality"]) { lines.append(("Municipality", m)) }
        if let p = text(record["protection"]) { lines.append(("Protection", p)) }
        if let status = record["status"]?.objectValue {
            let parts = [text(status["state"]), text(status["date"]), text(status["reason"])].compactMap { $0 }
            lines.append(("Status", parts.joined(separator: " ")))
        }
        if let r = text(record["region"]) { lines.append(("Region", r)) }
        if let contact = record["contact"]?.objectValue {
            if let e = text(contact["email"]) { lines.append(("Email", e)) }
            if let p = text(contact["phone"]) { lines.append(("Phone", p)) }
        }
        if let c = record["civilStatus"]?.objectValue {
            lines.append(("Civil status", [text(c["code"]), text(c["date"])].compactMap { $0 }.joined(separator: " ")))
        }
        let citizenships = (record["citizenships"]?.arrayValue ?? []).compactMap { text($0.objectValue?["country"]) }
        if !citizenships.isEmpty { lines.append(("Citizenship", citizenships.joined(separator: ", "))) }
        if let i = text(record["immigrationDate"]) { lines.append(("Immigrated", i)) }
        let relations = (record["relations"]?.arrayValue ?? []).compactMap(\.objectValue)
        if !relations.isEmpty {
            lines.append(("Relations", relations.compactMap { text($0["type"]) }.joined(separator: ", ")))
        }
        if let r = record["referredTo"]?.objectValue, let value = text(r["value"]) {
            lines.append(("Referred to", value))
        }
        let history = (record["history"]?.arrayValue ?? []).compactMap(\.objectValue)
        for entry in history {
            lines.append(
                (
                    "Earlier",
                    [text(entry["field"]), text(entry["until"]).map { "until " + $0 }].compactMap { $0 }.joined(
                        separator: " ")
                ))
        }
        if let t = text(record["test"]) { lines.append(("Test person", t)) }
        if record["limited"] != nil { lines.append(("Note", "limited view (protected person)")) }
        if let v = text(record["version"]) { lines.append(("Version", v)) }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 }.joined(separator: "\n")
            + "\n"
    }
}
