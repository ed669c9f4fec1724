import Foundation
import Glibc

/// The real `folkbok serve` of the crash loop (and of `folkbok-bench hostile`), on one data
/// directory and socket, with the demo customers and population, and the default (strict)
/// access log unless `arguments` say otherwise.
///
/// Guarantees: `start` returns only once the server has answered a `ping`; otherwise it
/// throws and leaves no process running. `kill()` sends SIGKILL and returns once the process
/// is reaped. The server's output is appended to `logPath`, one header line per start.
final class ChaosServer {
    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    let process = Process()
    /// Seconds from launching the process to its first `ping` answer.
    let startSeconds: Double

    init(
        binary: String, dataDir: String, socketPath: String, logPath: String, arguments: [String] = [],
        timeoutSeconds: Double = 120
    ) throws {
        if !FileManager.default.fileExists(atPath: logPath) {
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        }
        guard let log = FileHandle(forWritingAtPath: logPath) else {
            throw StartFailure(description: "cannot write \(logPath)")
        }
        log.seekToEndOfFile()
        log.write(Data("== start \(Date())\n".utf8))
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--socket", socketPath, "--data", dataDir] + arguments
        process.standardOutput = log
        process.standardError = log
        let started = now()
        try process.run()
        let deadline = started + timeoutSeconds
        while now() < deadline {
            if let client = ChaosConnection(socketPath: socketPath, timeoutSeconds: 10),
                case .result = client.call("ping")
            {
                startSeconds = now() - started
                return
            }
            guard process.isRunning else {
                throw StartFailure(
                    description: "the server exited with status \(process.terminationStatus) before answering")
            }
            usleep(2000)
        }
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw StartFailure(description: "the server did not answer a ping within \(Int(timeoutSeconds)) s")
    }

    func kill() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM, then waits: the clean stop at the end of a campaign.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
