import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokStats

/// The ledger against a real access log on disk: counts equal the entries of the counted
/// methods, and come back exactly after a restart, from a snapshot or without one, and past a
/// damaged snapshot.
final class StatsLedgerTests: XCTestCase {
    static let time: Int64 = 1_763_900_000_000_000  // 2025-11-23
    let customers = try! CustomerDirectory([
        Customer(
            id: "R01", name: "Region", category: .region, region: "01", contracts: [.normal], purposes: [.care],
            dataProcessingAgreement: true),
        Customer(id: "op", name: "Operations", category: .operator),
    ])
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "folkbok-ledger-" + UUID().uuidString.prefix(8)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func openAudit() throws -> AuditLog {
        try AuditLog.open(
            directory: directory + "/audit", fs: RealFileSystem(), retentionDays: AuditLog.minimumRetentionDays,
            clock: { Self.time }, segmentBytes: 64 << 10)
    }

    func openLedger(_ audit: AuditLog) throws -> StatsLedger {
        try StatsLedger.open(directory: directory + "/stats", fs: RealFileSystem(), customers: customers, audit: audit)
    }

    func entry(_ customer: String, _ method: String, _ outcome: AuditOutcome) -> AuditEntry {
        AuditEntry(
            time: Self.time, customer: customer, user: "u1", purpose: customer == "op" ? nil : "care",
            contract: customer == "op" ? nil : "normal", method: method, profile: nil, person: nil, resolved: nil,
            outcome: outcome, subject: AuditSubject(birthDate: CivilDate(year: 1990, month: 1, day: 1), sex: .female))
    }

    func append(_ audit: AuditLog, _ entries: [AuditEntry]) async throws {
        try await audit.waitUntilDurable(try audit.enqueue(entries))
    }

    /// 3 full person.get, 2 not_found getMany, plus entries that are not lookups.
    var traffic: [AuditEntry] {
        [
            entry("R01", "person.get", .full), entry("R01", "person.get", .full),
            entry("R01", "person.getMany", .notFound),
            entry("op", "person.get", .forbidden), entry("R01", "audit.query", .full),
            entry("R01", "person.get", .full),
            entry("R01", "person.getMany", .notFound), entry("R01", "stats.export", .full),
        ]
    }

    func counts(_ ledger: StatsLedger) -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for (event, n) in ledger.counters().lookupCounts() {
            out[
                "\(event.method.rawValue) \(event.outcome.rawValue) \(event.ageBand.rawValue) \(event.sex.rawValue)",
                default: 0] += n
        }
        return out
    }

    let expected: [String: UInt64] = ["person.get full 18-39 F": 3, "person.getMany not_found unknown unknown": 2]

    func testCountsOnlyCustomerLookups_asTheyAreAppended() async throws {
        let audit = try openAudit()
        defer { audit.close() }
        let ledger = try openLedger(audit)
        defer { ledger.close() }
        try await append(audit, traffic)
        XCTAssertEqual(counts(ledger), expected)
        XCTAssertEqual(ledger.countedSeq, 8)
    }

    func testRestartWithoutSnapshot_recountsTheAccessLog() async throws {
        var audit = try openAudit()
        var ledger = try openLedger(audit)
        try await append(audit, traffic)
        ledger.record(SessionEvent(customer: "R01", user: "u1", hour: StatsHour(unixMicros: Self.time), seconds: 2.5))
        ledger.close()
        audit.close()
        audit = try openAudit()
        ledger = try openLedger(audit)
        XCTAssertEqual(counts(ledger), expected)
        XCTAssertEqual(ledger.counters().sessionCounts().values.map(\.count), [1])
        try await append(audit, [entry("R01", "person.get", .full)])
        XCTAssertEqual(counts(ledger)["person.get full 18-39 F"], 4)
        ledger.close()
        audit.close()
    }

    func testRestartFromSnapshot_countsWhatCameAfterItOnce() async throws {
        var audit = try openAudit()
        var ledger = try openLedger(audit)
        try await append(audit, traffic)
        ledger.record(SessionEvent(customer: "R01", user: nil, hour: StatsHour(unixMicros: Self.time), seconds: 1))
        try await ledger.writeSnapshot(audit: audit)
        try await append(audit, [entry("R01", "person.get", .full)])
        ledger.record(SessionEvent(customer: "R01", user: nil, hour: StatsHour(unixMicros: Self.time), seconds: 1))
        try await ledger.writeSnapshot(audit: audit)
        try await append(audit, [entry("R01", "person.search", .limited)])
        ledger.close()
        audit.close()

        audit = try openAudit()
        ledger = try openLedger(audit)
        var want = expected
        want["person.get full 18-39 F"] = 4
        want["person.search limited unknown unknown"] = 1
        XCTAssertEqual(counts(ledger), want)
        XCTAssertEqual(ledger.counters().sessionCounts().values.map(\.count), [2])
        ledger.close()
        audit.close()

        // The newest snapshot damaged: the older one and the log after it give the same counts.
        let stats = directory + "/stats"
        let newest = try FileManager.default.contentsOfDirectory(atPath: stats).filter { $0.hasSuffix(".fbstats") }
            .sorted().last!
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: stats + "/" + newest)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: stats + "/" + newest))
        var reports: [String] = []
        audit = try openAudit()
        ledger = try StatsLedger.open(directory: stats, fs: RealFileSystem(), customers: customers, audit: audit) {
            reports.append($0)
        }
        XCTAssertEqual(counts(ledger), want)
        XCTAssertEqual(ledger.counters().sessionCounts().values.map(\.count), [2])
        let damaged = reports.filter { $0.contains("damaged") }
        XCTAssertEqual(damaged.count, 1)
        XCTAssertTrue(damaged[0].contains(newest))
        XCTAssertTrue(
            reports.contains { $0.contains("recounted 2 access-log entries") },
            "the two entries after the older snapshot")
        ledger.close()
        audit.close()
    }

    func testOnlyDamagedSnapshots_refuseToOpen() async throws {
        let audit = try openAudit()
        defer { audit.close() }
        try FileManager.default.createDirectory(atPath: directory + "/stats", withIntermediateDirectories: true)
        try Data([0x89, 0x46, 0x42]).write(to: URL(fileURLWithPath: directory + "/stats/counters-0000000001.fbstats"))
        XCTAssertThrowsError(try openLedger(audit)) { XCTAssertTrue("\($0)".contains("no statistics snapshot")) }
    }

    func testSnapshotFile_rejectsEveryTruncationAndFlippedByte() throws {
        var counters = StatsCounters()
        counters.record(SessionEvent(customer: "R01", user: "u", hour: StatsHour(unixMicros: Self.time), seconds: 3))
        let bytes = StatsSnapshotFile(counters: counters, auditSeq: 9, sessionLSN: 4).encoded()
        let back = try StatsSnapshotFile(decoding: bytes)
        XCTAssertEqual([back.auditSeq, back.sessionLSN], [9, 4])
        XCTAssertEqual(back.counters.sessionCounts(), counters.sessionCounts())
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try StatsSnapshotFile(decoding: Array(bytes.prefix(n))), "prefix \(n)")
        }
        for i in 0..<bytes.count {
            var flipped = bytes
            flipped[i] ^= 0x01
            XCTAssertThrowsError(try StatsSnapshotFile(decoding: flipped), "byte \(i)")
        }
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Snapshots/fixtures").path

    /// Encodes the fixture again and compares it with the committed bytes (or, with
    /// FOLKBOK_WRITE_FIXTURES=1, writes it over the committed one).
    func testFixture_isWhatTodaysEncoderWrites() throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        var counters = StatsCounters()
        for e in traffic {
            if let event = LookupEvent(entry: e, customer: customers[e.customer]) { counters.record(event) }
        }
        counters.record(SessionEvent(customer: "R01", user: "u1", hour: StatsHour(unixMicros: Self.time), seconds: 2.5))
        let bytes = StatsSnapshotFile(counters: counters, auditSeq: 8, sessionLSN: 1).encoded()
        let url = URL(fileURLWithPath: Self.fixtures + "/stats-counters-v2.fbstats")
        if regenerate {
            try Data(bytes).write(to: url)
        } else {
            XCTAssertEqual(try [UInt8](Data(contentsOf: url)), bytes)
        }
    }

    /// The committed version 1 file (contexts numbered before profiles P4 and P5 existed) and
    /// today's version 2 file hold the same counts.
    func testVersion1Fixture_loads() throws {
        try assertFixtureCounts("stats-counters-v1.fbstats")
    }

    func testVersion2Fixture_loads() throws {
        try assertFixtureCounts("stats-counters-v2.fbstats")
    }

    /// A P4 and a P5 lookup are counted apart from each other and from the other profiles, and
    /// survive an encoding round trip.
    func testP4AndP5Lookups_countedByProfile() throws {
        var counters = StatsCounters()
        let customer = customers["R01"]!
        for profile in ["P4", "P5", "P5", "P3"] {
            let e = AuditEntry(
                time: Self.time, customer: "R01", user: "u1", purpose: "care", contract: "normal", method: "person.get",
                profile: profile, person: nil, resolved: nil, outcome: .full,
                subject: AuditSubject(birthDate: CivilDate(year: 1990, month: 1, day: 1), sex: .female))
            counters.record(try XCTUnwrap(LookupEvent(entry: e, customer: customer)))
        }
        let back = try StatsCounters(decoding: counters.encoded())
        var byProfile: [String: UInt64] = [:]
        for (event, n) in back.lookupCounts() { byProfile[event.profile?.rawValue ?? "none", default: 0] += n }
        XCTAssertEqual(byProfile, ["P3": 1, "P4": 1, "P5": 2])
    }

    private func assertFixtureCounts(_ name: String) throws {
        let file = try StatsSnapshotFile(
            decoding: [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/" + name))))
        XCTAssertEqual([file.auditSeq, file.sessionLSN], [8, 1])
        var got: [String: UInt64] = [:]
        for (event, n) in file.counters.lookupCounts() {
            got[
                "\(event.method.rawValue) \(event.outcome.rawValue) \(event.ageBand.rawValue) \(event.sex.rawValue)",
                default: 0] += n
        }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(file.counters.sessionCounts().values.map(\.micros), [2_500_000])
    }
}
