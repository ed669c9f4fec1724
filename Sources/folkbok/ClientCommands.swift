import FolkbokJSON
import FolkbokServer
import Foundation
import Glibc

/// `get`, `call` and `info`: small clients for people and scripts.
enum ClientCommands {
    static func get(_ words: ArraySlice<String>) {
        let args = parse(words, extra: ["profile"], usage: Usage.get)
        guard args.positional.count == 1 else { Usage.fail("get takes one identity", usage: Usage.get) }
        let session = ClientSession(args)
        let client = session.connect()
        var params = JSONWriter()
        params.raw("{\"id\":")
        params.string(args.positional[0])
        if let profile = args.options["profile"] {
            params.raw(",\"profile\":")
            params.string(profile)
        }
        params.raw("}")
        let response = ClientSession.call(client, "person.get", String(decoding: params.bytes, as: UTF8.self))
        if let error = response["error"] { die(ClientSession.describe(error)) }
        guard let record = response["result"]?.objectValue else { die("the server's answer has no result") }
        FileOut.stdout.write(RecordPrinter.render(record))
    }

    static func call(_ words: ArraySlice<String>) {
        let args = parse(words, extra: [], usage: Usage.call)
        guard (1...2).contains(args.positional.count) else {
            Usage.fail("call takes a method and optional JSON params", usage: Usage.call)
        }
        let method = args.positional[0]
        let params = args.positional.count == 2 ? args.positional[1] : "{}"
        guard case .object? = try? JSONParser.parse(params) else {
            Usage.fail("JSON-PARAMS must be a JSON object", usage: Usage.call)
        }
        let asOperator = method.hasPrefix("admin.") || method.hasPrefix("audit.")
        let session = ClientSession(args, defaultCustomer: asOperator ? "operator" : "SE2321000016-0001")
        let needsNone = method == "ping" || method == "stats.open" || method == "session.open"
        let client = session.connect(asOperator: asOperator, open: !needsNone)
        do {
            try client.send(line: "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\(quoted(method)),\"params\":\(params)}")
            // Streaming methods answer several lines; the last one carries "result" or "error".
            while let line = try client.readLine() {
                FileOut.stdout.write(line + [0x0A])
                guard case .object(let o)? = try? JSONParser.parse(line) else { continue }
                if o["error"] != nil { exit(1) }
                if o["result"] != nil { exit(0) }
            }
        } catch { die(error.description) }
        die("the server closed the connection")
    }

    static func info(_ words: ArraySlice<String>) {
        let args = parse(words, extra: [], usage: Usage.info)
        guard args.positional.isEmpty else { Usage.fail("info takes no arguments", usage: Usage.info) }
        let client = ClientSession(args, defaultCustomer: "operator").connect(asOperator: true)
        let response = ClientSession.call(client, "admin.info", "{}")
        if let error = response["error"] { die(ClientSession.describe(error)) }
        guard let info = response["result"]?.objectValue else { die("the server's answer has no result") }
        for (key, value) in info.members {
            var w = JSONWriter()
            w.value(value)
            FileOut.stdout.write(
                "\(key.padding(toLength: 14, withPad: " ", startingAt: 0)) \(String(decoding: w.bytes, as: UTF8.self))\n"
            )
        }
    }

    static func parse(_ words: ArraySlice<String>, extra: Set<String>, booleans: Set<String> = [], usage: String)
        -> Arguments
    {
        do {
            let args = try Arguments(
                words, valued: ClientSession.valuedFlags.union(extra), boolean: booleans.union(["help"]))
            if args.switches.contains("help") {
                FileOut.stdout.write(usage + "\n")
                exit(0)
            }
            return args
        } catch { Usage.fail(error.message, usage: usage) }
    }

    static func quoted(_ s: String) -> String {
        var w = JSONWriter()
        w.string(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
