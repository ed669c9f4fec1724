import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation

/// `folkbok-bench audit-year --entries N [--dir D]`: builds a year of N access-log entries in
/// D (default /tmp) and prints write, reopen, per-person query and verify times and bytes per
/// entry. (It was a skipped test in FolkbokAuditTests.)
struct AuditYearBench {
    static let day: Int64 = 86_400_000_000
    /// 2024-01-01T00:00:00Z in µs.
    static let epoch: Int64 = 1_704_067_200_000_000

    let total: Int
    var base = "/tmp"

    func run() async throws {
        let dir = base + "/folkbok-audit-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let persons = max(1, total / 10)
        var factory = EntryFactory(seed: 7, persons: persons)
        let now = Self.epoch + 366 * Self.day
        var log = try AuditLog.open(
            directory: dir, fs: RealFileSystem(), retentionDays: AuditLog.minimumRetentionDays, clock: { now })
        let started = Date()
        let perDay = total / 365
        for day in 0..<365 {
            var remaining = perDay
            while remaining > 0 {
                let n = min(2000, remaining)
                let start = Self.epoch + Int64(day) * Self.day + Int64(perDay - remaining) * (Self.day / Int64(perDay))
                let batch = (0..<n).map { i in factory.entry(time: start + Int64(i) * (Self.day / Int64(perDay))) }
                try await log.waitUntilDurable(try log.enqueue(batch))
                remaining -= n
            }
        }
        let written = Date().timeIntervalSince(started)
        log.close()
        let reopenStart = Date()
        log = try AuditLog.open(
            directory: dir, fs: RealFileSystem(), retentionDays: AuditLog.minimumRetentionDays, clock: { now })
        let reopen = Date().timeIntervalSince(reopenStart)
        var rng = SplitMix64(seed: 3)
        var hits = 0
        let queryStart = Date()
        let queries = 200
        for _ in 0..<queries {
            hits += try log.query(
                AuditQuery(person: EntryFactory.person(Int(rng.next() % UInt64(persons))), limit: 1000)
            ).entries.count
        }
        let perQuery = Date().timeIntervalSince(queryStart) / Double(queries)
        let verifyStart = Date()
        let verification = try log.verify(from: nil, to: nil)
        let verifyTime = Date().timeIntervalSince(verifyStart)
        log.close()
        var apparent = 0, allocated = 0, walBytes = 0, indexBytes = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var st = stat()
            stat(dir + "/" + name, &st)
            apparent += Int(st.st_size)
            allocated += Int(st.st_blocks) * 512
            if name.hasPrefix("wal-") { walBytes += Int(st.st_blocks) * 512 }
            if name.hasPrefix("index-") { indexBytes += Int(st.st_size) }
        }
        let count = Double(perDay * 365)
        print(
            String(
                format:
                    "AUDIT-BENCH entries=%d persons=%d write=%.1fs reopen=%.2fs query/person=%.3fms (avg hits %.1f) verify=%.1fs valid=%@",
                perDay * 365, persons, written, reopen, perQuery * 1000, Double(hits) / Double(queries), verifyTime,
                "\(verification.valid)"))
        print(
            String(
                format: "AUDIT-BENCH bytes/entry allocated=%.1f (wal %.1f, index %.1f) apparent=%.1f",
                Double(allocated) / count, Double(walBytes) / count, Double(indexBytes) / count,
                Double(apparent) / count))
        precondition(verification.valid, "the year's log does not verify")
    }
}

/// Deterministic access-log entries over `persons` persons and five customers.
private struct EntryFactory {
    var rng: SplitMix64
    let persons: Int
    let customers = ["kund-a", "kund-b", "kund-c", "kund-d", "kund-e"]

    init(seed: UInt64, persons: Int) {
        rng = SplitMix64(seed: seed)
        self.persons = persons
    }

    static func person(_ n: Int) -> Identity {
        let digits = String(n)
        return Identity(kind: .personnummer, value: "1980" + String(repeating: "0", count: 8 - digits.count) + digits)
    }

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
}
