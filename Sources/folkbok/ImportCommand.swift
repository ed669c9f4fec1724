import FolkbokJSON
import FolkbokProtocol
import FolkbokServer
import Foundation
import Glibc

/// `folkbok import`: asks the server to import a file, showing progress from a second
/// connection's `admin.info` while the import runs.
enum ImportCommand {
    static func run(_ words: ArraySlice<String>) {
        let args = ClientCommands.parse(words, extra: ["region", "mode"], usage: Usage.importText)
        guard args.positional.count == 1 else { Usage.fail("import takes one FILE", usage: Usage.importText) }
        guard let region = args.options["region"] else { Usage.fail("--region is required", usage: Usage.importText) }
        let mode = args.options["mode"] ?? "delta"
        guard mode == "full" || mode == "delta" else { Usage.fail("--mode must be full or delta", usage: Usage.importText) }
        let path = URL(fileURLWithPath: args.positional[0]).standardizedFileURL.path
        let session = ClientSession(args, defaultCustomer: "operator")
        let client = session.connect(asOperator: true)
        let started = monotonicSeconds()

        let showProgress = isatty(2) == 1
        let watcher = showProgress ? ProgressWatcher(session: session, started: started) : nil
        watcher?.start()
        let params = "{\"path\":\(ClientCommands.quoted(path)),\"region\":\(ClientCommands.quoted(region)),\"mode\":\"\(mode)\"}"
        let response = ClientSession.call(client, "admin.import", params)
        watcher?.stop()
        if let error = response["error"] { die(ClientSession.describe(error)) }
        guard let r = response["result"]?.objectValue else { die("the server's answer has no result") }
        func n(_ key: String) -> String { if case .number(let v)? = r[key] { v } else { "0" } }
        let seconds = monotonicSeconds() - started
        FileOut.stdout.write("imported \(path) into region \(region) (\(mode)) in \(String(format: "%.1f", seconds)) s: "
            + "\(n("inserted")) inserted, \(n("updated")) updated, \(n("removed")) removed, \(n("rejected")) rejected; lsn \(n("lsn"))\n")
        for e in r["errors"]?.arrayValue ?? [] {
            guard let o = e.objectValue else { continue }
            let line = o["line"].map { if case .number(let v) = $0 { v } else { "?" } } ?? "?"
            FileOut.stdout.write("  line \(line): \(o["reason"]?.stringValue ?? "")\n")
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
                guard let info = try? client.call("admin.info"), let p = info["result"]?.objectValue?["import"]?.objectValue,
                      let read = p["bytesRead"]?.int64Value, let total = p["totalBytes"]?.int64Value,
                      let lines = p["lines"]?.int64Value else { continue }
                let elapsed = max(0.001, monotonicSeconds() - started)
                let rate = Double(lines) / elapsed
                let fraction = total > 0 ? Double(read) / Double(total) : 0
                let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
                FileOut.stderr.write(String(format: "\r%5.1f %%  %ld records  %.0f records/s  ETA %.0f s   ",
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
