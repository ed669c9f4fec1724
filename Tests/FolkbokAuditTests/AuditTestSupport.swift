import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// Temporary directories, deterministic entries and file helpers for the audit tests.
class AuditTestCase: XCTestCase {
    static let day: Int64 = 86_400_000_000
    /// 2024-01-01T00:00:00Z in µs.
    static let epoch: Int64 = 1_704_067_200_000_000
    private var directories: [String] = []

    func temporaryDirectory() -> String {
        var template = Array("/tmp/folkbok-audit-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        directories.append(path)
        return path + "/audit"
    }

    override func tearDown() {
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        directories = []
        super.tearDown()
    }

    func open(_ directory: String, fs: any FileSystem = RealFileSystem(), now: Int64 = epoch) throws -> AuditLog {
        try AuditLog.open(
            directory: directory, fs: fs, retentionDays: AuditLog.minimumRetentionDays, clock: { now },
            segmentBytes: 64 << 10)
    }

    /// Appends and waits, returning the stamped entries.
    @discardableResult
    func append(_ log: AuditLog, _ entries: [AuditEntry]) async throws -> [AuditEntry] {
        let last = try log.enqueue(entries)
        try await log.waitUntilDurable(last)
        return entries.enumerated().map { i, e in
            var s = e
            s.seq = last.seq - UInt64(entries.count - 1) + UInt64(i)
            return s
        }
    }

    func files(_ directory: String, prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix(prefix) && !$0.hasSuffix(".tmp") }.sorted().map { directory + "/" + $0 }
    }

    func readFile(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    func writeFile(_ path: String, _ bytes: [UInt8]) {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }
}

/// Seeded entries: `persons` people, a few customers, times spread over `days` from `start`.
struct EntryFactory {
    var rng: SplitMix
    let persons: Int
    let customers = ["kund-a", "kund-b", "kund-c", "kund-d", "kund-e"]

    init(seed: UInt64, persons: Int = 40) {
        rng = SplitMix(seed: seed)
        self.persons = persons
    }

    static func person(_ n: Int) -> Identity {
        let digits = String(n)
        return Identity(kind: .personnummer, value: "1980" + String(repeating: "0", count: 8 - digits.count) + digits)
    }

    static let reserve = Identity(kind: .reserve, value: "R-0001", issuer: "01")

    mutating func entry(time: Int64) -> AuditEntry {
        let person = Self.person(Int(rng.next() % UInt64(persons)))
        let resolved = rng.next() % 8 == 0 ? Self.person(Int(rng.next() % UInt64(persons))) : person
        return AuditEntry(
            time: time, customer: customers[Int(rng.next() % UInt64(customers.count))],
            user: rng.next() % 3 == 0 ? nil : "user\(rng.next() % 10)", purpose: rng.next() % 2 == 0 ? "kontroll" : nil,
            contract: "avtal-1", method: rng.next() % 2 == 0 ? "person.get" : "person.search",
            profile: rng.next() % 4 == 0 ? nil : "standard", person: rng.next() % 20 == 0 ? nil : person,
            resolved: rng.next() % 20 == 0 ? nil : resolved,
            outcome: rng.next() % 10 == 0 ? nil : AuditOutcome.allCases[Int(rng.next() % 4)])
    }

    /// `count` entries with non-decreasing times over `days` days from `start`.
    mutating func entries(_ count: Int, start: Int64, days: Int) -> [AuditEntry] {
        let span = Int64(days) * AuditTestCase.day
        let times = (0..<count).map { _ in start + Int64(rng.next() % UInt64(span)) }.sorted()
        return times.map { entry(time: $0) }
    }
}

typealias SplitMix = SplitMix64
