import FolkbokServer
import Foundation

/// The real `folkbok` binary started as a child on a temporary socket and data directory.
final class ServerProcess {
    let process = Process()
    let socketPath: String
    let directory: String

    /// - Parameter reuseData: start on `<directory>/data` as it is (a restart) instead of an empty one.
    init(binary: String, directory: String, extra: [String] = [], reuseData: Bool = false) throws {
        self.directory = directory
        socketPath = directory + "/folkbok.sock"
        let uid = getuid()
        let customers = """
            {"customers":[
             {"id":"bench-region","name":"Bench region","category":"region","region":"01","contracts":["normal","extended"],
              "purposes":["care"],"dataProcessingAgreement":true,"admin":true,"uids":[\(uid)]},
             {"id":"operator","name":"Operations","category":"operator","uids":[\(uid)]}]}
            """
        if !reuseData { try? FileManager.default.removeItem(atPath: directory + "/data") }
        try customers.write(toFile: directory + "/customers.json", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            [
                "serve", "--socket", socketPath, "--data", directory + "/data", "--customers",
                directory + "/customers.json",
            ] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<60_000 {
            if let client = try? LineClient(socketPath: socketPath), (try? client.call("ping")) != nil { return }
            guard process.isRunning else { break }
            usleep(1000)
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        throw LineClient.Failure(description: "the server did not start")
    }

    var residentBytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/statm", encoding: .utf8) else {
            return 0
        }
        let fields = text.split(separator: " ")
        return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The directory of this executable, where `swift build` also puts `folkbok`.
func siblingBinary(_ name: String) -> String {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return me.deletingLastPathComponent().appendingPathComponent(name).path
}
