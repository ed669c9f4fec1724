import FolkbokJSON
import FolkbokProtocol
import FolkbokServer
import Foundation
import Glibc

/// `folkbok import`: asks the server to import a file or the files of one delivery, showing progress from a second
/// connection's `admin.info` while the import runs.
enum ImportCommand {
    static func run(_ words: ArraySlice<String>) {
        let args = ClientCommands.parse(words, extra: ["region", "mode", "format"], usage: Usage.importText)
        guard (1...100).contains(args.positional.count) else {
            Usage.fail("import takes 1 to 100 FILEs", usage: Usage.importText)
        }
        guard let region = args.options["region"] else { Usage.fail("--region is required", usage: Usage.importText) }
        let mode = args.options["mode"] ?? "delta"
        guard mode == "full" || mode == "delta" else {
            Usage.fail("--mode must be full or delta", usage: Usage.importText)
        }
        let format = args.options["format"]
        if let format, format != "ndjson" && format != "navet" {
            Usage.fail("--format must be ndjson or navet", usage: Usage.importText)
        }
        let paths = args.positional.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let path = paths.count == 1 ? paths[0] : "\(paths.count) files"
        let session = ClientSession(args, defaultCustomer: "operator")
        let client = session.connect(asOperator: true)
        let started = monotonicSeconds()

        let showProgress = isatty(2) == 1
        let watcher = showProgress ? ProgressWatcher(session: session, started: started) : nil
        watcher?.start()
        let pathsJSON = "[" + paths.map(ClientCommands.quoted).joined(separator: ",") + "]"
        let params =
            "{\"paths\":\(pathsJSON),\"region\":\(ClientCommands.quoted(region)),\"mode\":\"\(mode)\""
            + (format.map { ",\"format\":\"\($0)\"" } ?? "") + "}"
        let response = ClientSession.call(client, "admin.import", params)
        watcher?.stop()
        if let error = response["error"] {
            let data = error.objectValue?["data"]?.objectValue
            let line =
                data?["line"].map { v -> String in if case .number(let n) = v { " at line \(n)" } else { "" } } ?? ""
            let file = data?["file"]?.stringValue.map { " of \($0)" } ?? ""
            die(ClientSession.describe(error) + line + file)
        }
        guard let r = response["result"]?.objectValue else { die("the server's answer has no result") }
        func n(_ key: String) -> String { if case .number(let v)? = r[key] { v } else { "0" } }
        let seconds = monotonicSeconds() - started
        let formatName = r["format"]?.stringValue ?? "ndjson"
        FileOut.stdout.write(
            "imported \(path) (\(formatName)) into region \(region) (\(mode)) in \(String(format: "%.1f", seconds)) s: "
                + "\(n("inserted")) inserted, \(n("updated")) updated, \(n("removed")) removed, \(n("rejected")) rejected; lsn \(n("lsn"))\n"
        )
        for e in r["errors"]?.arrayValue ?? [] {
            guard let o = e.objectValue else { continue }
            func number(_ key: String) -> String? { o[key].map { if case .number(let v) = $0 { v } else { "?" } } }
            let place =
                number("post").map { "post \($0)" }
                ?? ((number("file").map { "file \($0) " } ?? "") + "line " + (number("line") ?? "?"))
            FileOut.stdout.write("  \(place): \(o["reason"]?.stringValue ?? "")\n")
        }
        if n("rejected") != "0" { exit(1) }
    }
}

/// Polls `admin.info` on its own connection and redraws one progress line on stderr.
final class ProgressWatcher: @unchecked Sendable {
    private let session: ClientSession
    private let started: Double
    private let stopped = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(session: ClientSession, started: Double) {
        self.session = session
        self.started = started
    }

    func start() {
        Thread.detachNewThread { [self] in
            let client = session.connect(asOperator: true)
            while stopped.wait(timeout: .now() + 0.5) == .timedOut {
                guard let info = try? client.call("admin.info"),
                    let p = info["result"]?.objectValue?["import"]?.objectValue,
                    let read = p["bytesRead"]?.int64Value, let total = p["totalBytes"]?.int64Value,
                    let lines = p["lines"]?.int64Value
                else { continue }
                let elapsed = max(0.001, monotonicSeconds() - started)
                let rate = Double(lines) / elapsed
                let fraction = total > 0 ? Double(read) / Double(total) : 0
                let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
                FileOut.stderr.write(
                    String(
                        format: "\r%5.1f %%  %ld records  %.0f records/s  ETA %.0f s   ",
                        fraction * 100, lines, rate, eta))
            }
            FileOut.stderr.write("\r\u{1B}[K")
            finished.signal()
        }
    }

    func stop() {
        stopped.signal()
        finished.wait()
    }
}
