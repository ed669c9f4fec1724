import FolkbokApp
import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The composed `App`, run in this process on a manual clock: its upkeep and its service follow
/// the injected clock, so expiry is tested without sleeping.
final class AppUpkeepClockTests: XCTestCase {
    /// An export made at the clock's start is stamped with the clock's time, is still on disk
    /// 5 clock seconds later and deleted by the upkeep once its 10 s have passed on the clock.
    func test_exportExpiry_followsTheInjectedClock() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try statisticsCustomers().write(toFile: directory + "/customers.json", atomically: true, encoding: .utf8)
        var config = AppConfig()
        config.server.socketPath = directory + "/s.sock"
        config.server.loops = 1
        config.shards = 4
        config.dataDirectory = directory + "/data"
        config.customersPath = directory + "/customers.json"
        config.exportTTLSeconds = 10
        // A fixed start a day in the past: nothing the service stamps can come from the real clock.
        let start = (Int64(Date().timeIntervalSince1970) - 86_400) * 1_000_000
        let clock = ManualClock(startingAt: start)
        let lines = LineCollector()
        let app = try App(
            config: config, clock: clock,
            logger: Logger(level: .debug, format: .json, clockMicros: clock.micros, sink: lines.append))
        let running = Thread { app.run(stoppingOn: []) }
        running.start()
        defer { if !running.isFinished { app.requestShutdown() } }

        let client = try LineClient(socketPath: config.server.socketPath)
        XCTAssertNotNil(
            try client.call(
                "session.open",
                params: "{\"customer\":\"\(StatsCustomer.region01)\",\"purpose\":\"care\",\"contract\":\"normal\"}"
            ).result)
        let made = try XCTUnwrap(
            try client.call("stats.export", params: "{\"kind\":\"aggregated\"}").result, "stats.export")
        let id = try XCTUnwrap(made["export"]?.stringValue)
        XCTAssertEqual(
            isoDate(made["created"]?.stringValue)?.timeIntervalSince1970, Double(start / 1_000_000),
            "stamped by the injected clock")
        let exports = config.dataDirectory + "/exports"
        func rowsFileExists() -> Bool { FileManager.default.fileExists(atPath: exports + "/" + id + ".rows") }
        XCTAssertTrue(rowsFileExists())

        XCTAssertTrue(clock.advance(seconds: 5))
        XCTAssertTrue(rowsFileExists(), "not expired after 5 of its 10 seconds")
        XCTAssertTrue(clock.advance(seconds: 6))
        XCTAssertFalse(rowsFileExists(), "deleted by the upkeep once 10 seconds passed on the clock")
        XCTAssertEqual(try client.call("stats.exports", params: "{}").result?["exports"]?.arrayValue?.count, 0)

        app.requestShutdown()
        while !running.isFinished { usleep(10_000) }
        let logged = lines.text
        XCTAssertTrue(logged.contains("\"event\":\"listening\""), logged)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let startText = formatter.string(from: Date(timeIntervalSince1970: Double(start / 1_000_000)))
        XCTAssertTrue(
            logged.hasPrefix("{\"time\":\"\(startText)\",\"level\":\"info\""), "log times follow the clock: \(logged)")
        XCTAssertTrue(logged.contains("\"event\":\"stopped\""), logged)
    }
}

/// Log lines handed to a sink, kept for the test.
final class LineCollector: @unchecked Sendable {
    // @unchecked: `bytes` is only touched under `lock`.
    private let lock = NSLock()
    private var bytes: [UInt8] = []

    var append: @Sendable ([UInt8]) -> Void { { [self] line in lock.withLock { bytes += line } } }
    var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
