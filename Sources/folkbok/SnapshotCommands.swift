import FolkbokEngine
import FolkbokJSON
import FolkbokStorage
import Foundation
import Glibc

/// `folkbok snapshot` (ask the server for one), `folkbok snapshot verify FILE` and
/// `folkbok restore --from SNAPSHOT --data DIR` (prepare a data directory for a new node).
enum SnapshotCommands {
    static func snapshot(_ words: ArraySlice<String>) {
        if words.first == "verify" { return verify(words.dropFirst()) }
        let args = ClientCommands.parse(words, extra: [], usage: Usage.snapshot)
        guard args.positional.isEmpty else {
            Usage.fail("snapshot takes no arguments (or: snapshot verify FILE)", usage: Usage.snapshot)
        }
        let client = ClientSession(args, defaultCustomer: "operator").connect(asOperator: true)
        let response = ClientSession.call(client, "admin.snapshot", "{}")
        if let error = response["error"] { die(ClientSession.describe(error)) }
        let r = response["result"]?.objectValue
        func text(_ key: String) -> String {
            switch r?[key] {
            case .number(let n)?: n
            case .string(let s)?: s
            default: "?"
            }
        }
        FileOut.stdout.write(
            "snapshot \(text("path")): lsn \(text("lsn")), \(text("bytes")) bytes in \(text("seconds")) s\n")
    }

    static func verify(_ words: ArraySlice<String>) {
        let args = ClientCommands.parse(words, extra: [], usage: Usage.snapshot)
        guard args.positional.count == 1 else { Usage.fail("snapshot verify takes one FILE", usage: Usage.snapshot) }
        switch Persistence.verifySnapshot(path: args.positional[0], fs: RealFileSystem()) {
        case .success(let info):
            FileOut.stdout.write(
                "\(info.path): valid, format version \(info.version), lsn \(info.lsn), \(info.count) persons, \(info.bytes) bytes\n"
            )
        case .failure(let error):
            die("\(error)")
        }
    }

    static func restore(_ words: ArraySlice<String>) {
        let args: Arguments
        do { args = try Arguments(words, valued: ["from", "data"], boolean: ["help"]) } catch {
            Usage.fail(error.message, usage: Usage.restore)
        }
        if args.switches.contains("help") { return FileOut.stdout.write(Usage.restore + "\n") }
        guard args.positional.isEmpty, let from = args.options["from"], let data = args.options["data"] else {
            Usage.fail("restore needs --from SNAPSHOT and --data DIR", usage: Usage.restore)
        }
        let info: SnapshotInfo
        switch Persistence.verifySnapshot(path: from, fs: RealFileSystem()) {
        case .success(let verified): info = verified
        case .failure(let error): die("\(error)")
        }
        let files = FileManager.default
        if let existing = try? files.contentsOfDirectory(atPath: data),
            existing.contains(where: { $0.hasPrefix("snapshot-") || $0.hasPrefix("wal-") })
        {
            die("\(data) already holds a register; restore into an empty directory")
        }
        do {
            // Owner-only, like everything `serve` creates (docs/PROTOCOL.md, "Files, disks and permissions").
            let ownerOnly: [FileAttributeKey: Any] = [.posixPermissions: Int(FileModes.file)]
            try files.createDirectory(
                atPath: data, withIntermediateDirectories: true,
                attributes: [.posixPermissions: Int(FileModes.directory)])
            let source = URL(fileURLWithPath: from).deletingLastPathComponent().path
            let copied = data + "/" + URL(fileURLWithPath: from).lastPathComponent
            try files.copyItem(atPath: from, toPath: copied)
            try files.setAttributes(ownerOnly, ofItemAtPath: copied)
            // The log segments beside the snapshot carry what happened after it.
            var segments = 0
            for name in try files.contentsOfDirectory(atPath: source).sorted()
            where name.hasPrefix("wal-") && name.hasSuffix(".log") {
                try files.copyItem(atPath: source + "/" + name, toPath: data + "/" + name)
                try files.setAttributes(ownerOnly, ofItemAtPath: data + "/" + name)
                segments += 1
            }
            if files.fileExists(atPath: source + "/customers.json")
                && !files.fileExists(atPath: data + "/customers.json")
            {
                try files.copyItem(atPath: source + "/customers.json", toPath: data + "/customers.json")
                try files.setAttributes(ownerOnly, ofItemAtPath: data + "/customers.json")
            }
            FileOut.stdout.write(
                "restored snapshot lsn \(info.lsn) (\(info.count) persons) and \(segments) log segments into \(data); "
                    + "start it with: folkbok serve --data \(data)\n")
        } catch {
            die("restore failed: \(error.localizedDescription)")
        }
    }
}
