import FolkbokAudit
import FolkbokStats
import Foundation
import Synchronization

/// A thread that does one round of upkeep per second of its clock until stopped.
/// Guarantees: rounds never overlap; `stop` returns only after the last round has finished.
final class UpkeepThread: Sendable {
    private let stopSignal = UpkeepStop()
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameter round: called with 0, 1, 2, ... (seconds since start), the first at once.
    init(clock: any UpkeepClock, round: @escaping @Sendable (_ second: Int) -> Void) {
        Thread.detachNewThread { [stopSignal, finished] in
            defer { finished.signal() }
            for second in 0... {
                round(second)
                guard clock.sleep(seconds: 1, unless: stopSignal) else { break }
            }
        }
    }

    func stop() {
        stopSignal.signal()
        finished.wait()
    }
}

/// Keeps the access log: seals finished segments each second (so their entries leave memory
/// even when no request waits for durability) and removes days past retention at start and then hourly.
enum AccessLogRetention {
    static func start(log: AuditLog, clock: any UpkeepClock, logger: Logger) -> UpkeepThread {
        UpkeepThread(clock: clock) { second in
            try? log.resumeAfterFailure()
            log.sealFinishedSegments()
            guard second % 3600 == 0 else { return }
            do {
                let removed = try log.removeExpired()
                if !removed.isEmpty {
                    logger.info(
                        "audit.retention", "access log retention removed \(removed.count) files",
                        ["files": .int(removed.count)])
                }
            } catch {
                logger.error("audit.retention.failed", "access log retention failed: \(error)")
            }
        }
    }
}

/// Keeps the statistics: a counters snapshot each minute when something was counted (so a
/// restart recounts little of the access log), and expired exports deleted each second.
enum StatisticsUpkeep {
    static func start(
        statistics: StatsLedger, exports: ExportStore, audit: AuditLog, clock: any UpkeepClock, logger: Logger
    ) -> UpkeepThread {
        let lastSaved = Mutex(statistics.countedSeq)
        return UpkeepThread(clock: clock) { second in
            guard second > 0 else { return }
            try? statistics.resumeAfterFailure()
            do { try exports.expire(now: clock.micros()) } catch {
                logger.error("stats.expire.failed", "deleting expired statistics exports failed: \(error)")
            }
            guard second % 60 == 0 else { return }
            let counted = statistics.countedSeq
            guard lastSaved.withLock({ $0 != counted }) else { return }
            lastSaved.withLock { $0 = counted }
            let saved = blockingResult { () async throws in try await statistics.writeSnapshot(audit: audit) }
            if case .failure(let error) = saved {
                logger.warning("stats.snapshot.failed", "the statistics snapshot failed (it is retried): \(error)")
            }
        }
    }
}
