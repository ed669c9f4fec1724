import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// Skipped unless FOLKBOK_AUDIT_BENCH=<entries>: builds a year of entries in
/// FOLKBOK_AUDIT_BENCH_DIR (default /tmp) and prints per-person query time and bytes per entry.
final class AuditBenchmarkTests: AuditTestCase {
    func testBenchmarkOneYear() async throws {
        guard let total = ProcessInfo.processInfo.environment["FOLKBOK_AUDIT_BENCH"].flatMap(Int.init) else {
            throw XCTSkip("set FOLKBOK_AUDIT_BENCH=<entries> to run")
        }
        let base = ProcessInfo.processInfo.environment["FOLKBOK_AUDIT_BENCH_DIR"] ?? "/tmp"
        let dir = base + "/folkbok-audit-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let persons = max(1, total / 10)
        var factory = EntryFactory(seed: 7, persons: persons)
        let now = Self.epoch + 366 * Self.day
        var log = try AuditLog.open(directory: dir, fs: RealFileSystem(), retentionDays: AuditLog.minimumRetentionDays, clock: { now })
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
        log = try AuditLog.open(directory: dir, fs: RealFileSystem(), retentionDays: AuditLog.minimumRetentionDays, clock: { now })
        let reopen = Date().timeIntervalSince(reopenStart)
        var rng = SplitMix(seed: 3)
        var hits = 0
        let queryStart = Date()
        let queries = 200
        for _ in 0..<queries {
            hits += try log.query(AuditQuery(person: EntryFactory.person(Int(rng.next() % UInt64(persons))), limit: 1000)).entries.count
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
        print(String(format: "AUDIT-BENCH entries=%d persons=%d write=%.1fs reopen=%.2fs query/person=%.3fms (avg hits %.1f) verify=%.1fs valid=%@",
                     perDay * 365, persons, written, reopen, perQuery * 1000, Double(hits) / Double(queries), verifyTime, "\(verification.valid)"))
        print(String(format: "AUDIT-BENCH bytes/entry allocated=%.1f (wal %.1f, index %.1f) apparent=%.1f",
                     Double(allocated) / count, Double(walBytes) / count, Double(indexBytes) / count, Double(apparent) / count))
        XCTAssertTrue(verification.valid)
    }
}
