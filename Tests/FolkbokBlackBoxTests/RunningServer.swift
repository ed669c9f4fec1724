import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The real `folkbok` binary on a temporary socket and data directory, talked to as a client.
final class RunningServer: @unchecked Sendable {
    let directory: String
    let socketPath: String
    let process = Process()
    let stderrPipe = Pipe()
    let ownsDirectory: Bool

    /// The `folkbok` executable built beside the test bundle.
    static var binary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [here, here.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("folkbok").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return here.appendingPathComponent("folkbok").path
    }

    static func makeDirectory() -> String {
        let dir = NSTemporaryDirectory() + "folkbok-test-" + UUID().uuidString.prefix(8)
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts `folkbok serve` and waits until it answers `ping` (unless `waitForPing` is false).
    /// - Parameter directory: reuse this directory (kept afterwards); by default a new one, removed afterwards.
    /// - Parameter environment: added to (or replacing in) the test's environment.
    init(
        directory: String? = nil, arguments: [String] = [], customers: String? = nil,
        environment: [String: String] = [:], waitForPing: Bool = true
    ) throws {
        ownsDirectory = directory == nil
        let directory = directory ?? RunningServer.makeDirectory()
        self.directory = directory
        socketPath = directory + "/s.sock"
        var args = ["serve", "--socket", socketPath, "--data", directory + "/data"] + arguments
        if let customers {
            try customers.write(toFile: directory + "/customers.json", atomically: true, encoding: .utf8)
            args += ["--customers", directory + "/customers.json"]
        }
        process.executableURL = URL(fileURLWithPath: RunningServer.binary)
        process.arguments = args
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderrPipe
        try process.run()
        guard waitForPing else { return }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let client = try? LineClient(socketPath: socketPath), (try? client.call("ping")) != nil { return }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        throw NSError(domain: "RunningServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "server did not start"])
    }

    func client() throws -> LineClient { try LineClient(socketPath: socketPath) }

    /// A client with a session already open.
    func session(_ customer: String = "SE2321000016-0001", purpose: String? = "care", contract: String? = "normal")
        throws -> LineClient
    {
        let c = try client()
        var params = "\"customer\":\"\(customer)\""
        if let purpose { params += ",\"purpose\":\"\(purpose)\"" }
        if let contract { params += ",\"contract\":\"\(contract)\"" }
        let answer = try c.call("session.open", params: "{\(params)}")
        XCTAssertNotNil(answer["result"], "session.open as \(customer)")
        return c
    }

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    var stderrText: String {
        String(decoding: stderrPipe.fileHandleForReading.availableData, as: UTF8.self)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// Runs the folkbok binary with arguments; answers exit status, stdout and stderr.
func runFolkbok(_ arguments: [String], environment: [String: String] = [:]) throws -> (
    status: Int32, out: String, err: String
) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: RunningServer.binary)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { $1 }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

extension JSONObject {
    var errorCode: Int64? { self["error"]?.objectValue?["code"]?.int64Value }
    var result: JSONObject? { self["result"]?.objectValue }
}

/// A customers file without the demo: one admin region (01, extended too), the operator.
func testCustomers() -> String {
    """
    {"customers":[
     {"id":"SE2321000016-0001","name":"Region","category":"region","region":"01","contracts":["normal","extended"],
      "purposes":["care","administration"],"dataProcessingAgreement":true,"admin":true,"uids":[\(getuid())]},
     {"id":"operator","name":"Operations","category":"operator","uids":[\(getuid())]}]}
    """
}

/// A demo personnummer (first line of Skatteverket's test list).
let demoNumber = "189001019802"
