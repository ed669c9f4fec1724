import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// A black-box test on a real 64 MiB tmpfs mounted for each test and unmounted after it; the
/// test is skipped where mounting is not allowed (it needs root). Helpers fill the volume up
/// and ask the server whether it is read-only.
class TmpfsTestCase: XCTestCase {
    var mountPoint: String?

    override func setUpWithError() throws {
        let dir = NSTemporaryDirectory() + "folkbok-tmpfs-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let mount = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", dir])
        guard mount == 0 else {
            try? FileManager.default.removeItem(atPath: dir)
            throw XCTSkip("cannot mount a tmpfs here (needs root)")
        }
        mountPoint = dir
    }

    override func tearDown() {
        guard let dir = mountPoint else { return }
        _ = try? runProgram("/bin/umount", ["-l", dir])
        try? FileManager.default.removeItem(atPath: dir)
    }

    func runProgram(_ path: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    /// Writes zeros to `path` until the volume refuses (ENOSPC).
    func fill(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var small = false
        while true {
            let n = chunk.withUnsafeBytes { write(fd, $0.baseAddress!, small ? 4096 : $0.count) }
            if n > 0 { continue }
            if small { return }
            small = true
        }
    }

    func info(_ server: RunningServer) throws -> (readOnly: Bool?, reason: String?) {
        let op = try server.session("operator", purpose: nil, contract: nil)
        let result = try op.call("admin.info").result
        return (result?["readOnly"]?.boolValue, result?["readOnlyReason"]?.stringValue)
    }

    func setPhone(_ client: LineClient, _ n: Int) throws -> JSONObject {
        let phone = String(format: "+4670%07d", n)
        return try client.call(
            "contact.set",
            params:
                "{\"id\":\"\(demoNumber)\",\"phone\":\"\(phone)\",\"consent\":{\"source\":\"1177\",\"date\":\"2026-01-02\"}}"
        )
    }

    func phone(_ server: RunningServer) throws -> String? {
        let client = try server.session()
        return try client.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result?["contact"]?.objectValue?[
            "phone"]?.stringValue
    }
}
