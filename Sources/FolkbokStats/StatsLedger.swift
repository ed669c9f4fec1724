import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Synchronization

/// The server's usage-statistics counters, kept exact with the access log.
///
/// Lookup events are counted from the access log's own entries, as they are appended (the
/// log calls `count` under its lock, in seq order), so the lookups counted are exactly the
/// entries of the counted methods. Ended sessions go to a small write-ahead journal of their
/// own. A snapshot file holds the counters up to an access-log seq and a journal position;
/// `open` loads the newest valid one and recounts the access-log entries and journal records
/// after it, so after a crash the counts equal the durable entries (every acknowledged lookup
/// in strict mode).
///
/// Guarantees: counts never hold a citizen's identity (only age band and sex, derived at the
/// event); queries read counters, never the access log; a torn or corrupt snapshot is reported
/// and the previous one used; with none valid `open` throws rather than start with wrong counts.
public final class StatsLedger: Sendable {
    let directory: String
    let fs: any FileSystem
    let customers: CustomerDirectory
    let state: Locked<LedgerState>
    /// The ended-sessions journal.
    let journal: WriteAheadLog
    /// Held while a snapshot file is written (one at a time).
    let snapshotWork = Locked(SnapshotHistory())

    /// The newest snapshot file's generation and the journal position it covers.
    struct SnapshotHistory {
        var generation: UInt64 = 0
        var newestLSN: UInt64 = 0
    }

    struct LedgerState: Sendable {
        var counters = StatsCounters()
        /// The last access-log seq counted.
        var auditSeq: UInt64
        /// The last journal record counted.
        var sessionLSN: UInt64
        /// The last journal record queued (counted once durable).
        var queuedLSN: UInt64 = 0
        /// Ended sessions queued for the journal, not counted yet, in LSN order.
        var unsynced: [(lsn: UInt64, event: SessionEvent)] = []
        /// The last customer looked up while counting (most batches are one customer's).
        var lastCustomer: Customer?
        /// The last entry caller counted and what it fixes of its events (nil: not counted).
        var lastCaller: AuditCaller?
        var lastPart: LookupCallerPart?
        /// Lookups were counted whose access-log entries a failed write lost (until restart).
        var overcounted = false
    }

    init(
        directory: String, fs: any FileSystem, customers: CustomerDirectory, journal: WriteAheadLog, state: LedgerState
    ) {
        self.directory = directory
        self.fs = fs
        self.customers = customers
        self.journal = journal
        self.state = Locked(state)
    }

    /// Counts the lookup events among freshly appended access-log entries (ascending seqs).
    public func count(_ entries: [AuditEntry]) {
        guard let last = entries.last else { return }
        state.withLock { s in
            // In place, field by field: copying an entry retains its strings.
            entries.withUnsafeBufferPointer { all in
                for i in all.indices {
                    if all[i].caller !== s.lastCaller {
                        let caller = all[i].caller
                        if s.lastCustomer?.id != caller.customer { s.lastCustomer = customers[caller.customer] }
                        s.lastCaller = caller
                        s.lastPart = LookupCallerPart(caller, customer: s.lastCustomer)
                    }
                    guard let part = s.lastPart,
                        let event = LookupEvent(
                            time: all[i].time, outcome: all[i].outcome, subject: all[i].subject, part: part)
                    else { continue }
                    s.counters.record(event)
                }
            }
            s.auditSeq = max(s.auditSeq, last.seq)
        }
    }

    /// Queues an ended session for the journal without blocking the caller; it is counted
    /// once durable, so a count once shown never goes down after a crash.
    public func record(_ event: SessionEvent) {
        var scratch = StatsCounters(retainsDrained: false)
        scratch.record(event)
        let payload = scratch.drainDelta().encoded()
        let lsn: UInt64? = state.withLock { s in
            guard (try? journal.enqueue([(s.queuedLSN + 1, payload)])) != nil else { return nil }
            s.queuedLSN += 1
            s.unsynced.append((s.queuedLSN, event))
            return s.queuedLSN
        }
        guard let lsn else { return }
        Task { [self] in
            try? await journal.waitUntilDurable(lsn)
            countDurableSessions()
        }
    }

    /// Counts the queued sessions the journal holds durably, in order.
    func countDurableSessions() {
        let durable = journal.durableLSN
        state.withLock { s in
            let ready = s.unsynced.prefix { $0.lsn <= durable }
            for (lsn, event) in ready {
                s.counters.record(event)
                s.sessionLSN = lsn
            }
            s.unsynced.removeFirst(ready.count)
        }
    }

    /// The counters as they are now (a copy; reading it never blocks counting).
    public func counters() -> StatsCounters {
        state.withLock { s in
            _ = s.counters.drainDelta()
            return s.counters
        }
    }

    /// The last access-log seq counted.
    public var countedSeq: UInt64 { state.withLock { $0.auditSeq } }

    /// The access log lost the entries after `seq` (a failed write) and gives their seqs out
    /// again: they were counted already, so the counters are too high until the next start
    /// recounts from the access log; no snapshot is written until then.
    func auditRolledBack(to seq: UInt64) {
        state.withLock { s in
            if s.auditSeq > seq { s.overcounted = true }
            s.auditSeq = min(s.auditSeq, seq)
        }
    }

    /// After the session journal failed (a full disk): repairs it and continues after its last
    /// durable record; sessions queued but not durable are not counted. Does nothing when the
    /// journal works; throws while the disk still refuses. Blocks while the journal repairs.
    public func resumeAfterFailure() throws {
        guard journal.failure != nil else { return }
        try state.withLock { s throws in
            let durable = try journal.resume()
            s.queuedLSN = durable
            s.unsynced.removeAll { $0.lsn > durable }
        }
    }

    /// Stops the journal (queued records are written first).
    public func close() { journal.close() }
}
