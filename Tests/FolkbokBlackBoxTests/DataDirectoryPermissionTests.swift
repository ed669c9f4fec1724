import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The register is readable by the server's user only (docs/PROTOCOL.md, "Files, disks and permissions").
final class DataDirectoryPermissionTests: XCTestCase {
    /// Mode bits (permissions only) of every file and directory under `root`, by relative path.
    private func modes(under root: String) throws -> [String: (isDirectory: Bool, mode: Int)] {
        var found: [String: (Bool, Int)] = [:]
        let files = FileManager.default
        for relative in try files.subpathsOfDirectory(atPath: root) + [""] {
            let path = relative.isEmpty ? root : root + "/" + relative
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFDIR || kind == S_IFREG else { continue }
            found[relative.isEmpty ? "." : relative] = (kind == S_IFDIR, Int(st.st_mode & 0o777))
        }
        return found
    }

    private func assertOwnerOnly(_ root: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let all = try modes(under: root)
        XCTAssertFalse(all.isEmpty, file: file, line: line)
        for (path, entry) in all.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(
                String(entry.mode, radix: 8), entry.isDirectory ? "700" : "600", path, file: file, line: line)
        }
    }

    func test_underUmask000_everyFileIs0600_andEveryDirectory0700() throws {
        let old = umask(0)
        let server: RunningServer
        do {
            defer { umask(old) }
            server = try RunningServer()
        }
        let client = try server.session()
        XCTAssertNotNil(try client.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result)
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertNotNil(try op.call("admin.snapshot").result)
        XCTAssertEqual(server.stop(), 0)
        let data = server.directory + "/data"
        let names = try FileManager.default.subpathsOfDirectory(atPath: data)
        for expected in ["customers.json", "audit", "stats", "exports"] {
            XCTAssertTrue(names.contains(expected), "\(expected) in \(names)")
        }
        XCTAssertTrue(
            names.contains { $0.hasPrefix("wal-") } && names.contains { $0.hasPrefix("snapshot-") }, "\(names)")
        XCTAssertTrue(
            names.contains { $0.hasPrefix("audit/wal-") } && names.contains { $0.hasPrefix("stats/") }, "\(names)")
        try assertOwnerOnly(data)
    }

    func test_existingWiderModes_areNarrowedAtStartUp_withOneLogLine() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/data"
        let files = FileManager.default
        try files.createDirectory(
            atPath: data + "/old", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        XCTAssertTrue(
            files.createFile(
                atPath: data + "/old/notes.txt", contents: Data("x".utf8), attributes: [.posixPermissions: 0o644]))
        XCTAssertTrue(
            files.createFile(
                atPath: data + "/kept.bin", contents: Data("y".utf8), attributes: [.posixPermissions: 0o640]))
        chmod(data, 0o755)
        let server = try RunningServer(directory: directory, customers: testCustomers())
        XCTAssertEqual(server.stop(), 0)
        XCTAssertTrue(server.stderrText.contains("narrowed 4 files and directories under \(data)"), server.stderrText)
        try assertOwnerOnly(data)
    }

    func test_dataDirectoryOthersCanWrite_isRefused_withWhatToDo() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = directory + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for mode: mode_t in [0o777, 0o770, 0o702] {
            chmod(data, mode)
            let run = try runFolkbok([
                "serve", "--socket", directory + "/s.sock", "--data", data, "--customers", directory + "/none.json",
            ])
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue(run.err.contains("chmod 700 \(data)"), run.err)
            XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/s.sock"), "nothing started")
        }
        chmod(data, 0o700)
        guard geteuid() == 0 else { return }
        chown(data, 4242, 4242)
        let foreign = try runFolkbok([
            "serve", "--socket", directory + "/s.sock", "--data", data, "--customers", directory + "/none.json",
        ])
        XCTAssertNotEqual(foreign.status, 0)
        XCTAssertTrue(foreign.err.contains("belongs to uid 4242"), foreign.err)
    }
}
