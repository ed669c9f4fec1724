import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import Glibc

/// Why the statistics could not be opened. Messages name files, never data.
public struct StatsLedgerError: Error, CustomStringConvertible {
    public let description: String
}

extension StatsLedger {
    /// Snapshot files kept (the newest and the one before, in case the newest is damaged).
    static let keptSnapshots = 2

    /// Opens the statistics in `directory` (creating it): loads the newest valid snapshot,
    /// counts the session-journal records and access-log entries after it, and starts counting
    /// every entry `audit` appends from now on.
    ///
    /// - Parameters:
    ///   - counting: false only to measure the server without statistics (`--stats off`): the
    ///     counts are loaded but nothing new is counted.
    ///   - report: told about damaged snapshots that were passed over, and how many access-log
    ///     entries were recounted (every 100,000 on a long recount).
    /// - Throws: `StatsLedgerError` when snapshots exist but none is valid, or the journal is
    ///   corrupt; file and access-log errors as they come.
    /// - Complexity: O(snapshot size + journal records + access-log entries after the snapshot).
    public static func open(
        directory: String, fs: any FileSystem, customers: CustomerDirectory, audit: AuditLog, counting: Bool = true,
        report: (String) -> Void = { _ in }
    ) throws -> StatsLedger {
        try fs.makeDirectory(directory)
        let generations = try fs.list(directory).compactMap(StatsSnapshotFile.generation(ofFile:)).sorted(by: >)
        var base: StatsSnapshotFile?
        for generation in generations {
            let name = StatsSnapshotFile.name(generation: generation)
            do {
                base = try StatsSnapshotFile(decoding: try fs.readWholeFile(directory + "/" + name))
                break
            } catch {
                report("statistics snapshot \(name) is damaged (\(error)); trying an older one")
            }
        }
        if base == nil && !generations.isEmpty {
            throw StatsLedgerError(
                description:
                    "no statistics snapshot in \(directory) is valid; move the damaged files away to recount from the access log"
            )
        }
        var state = LedgerState(
            counters: base?.counters ?? StatsCounters(), auditSeq: base?.auditSeq ?? 0,
            sessionLSN: base?.sessionLSN ?? 0)
        let journalDirectory = directory + "/sessions"
        let recovered: RecoveryReport
        do {
            recovered = try WriteAheadLog.recover(
                directory: journalDirectory, fs: fs, after: state.sessionLSN, truncateCorruptTail: false
            ) {
                lsn, raw in
                state.counters.apply(try StatsDelta(decoding: Array(raw)))
                state.sessionLSN = lsn
            }
        } catch {
            throw StatsLedgerError(description: "the session journal in \(journalDirectory) is damaged: \(error)")
        }
        let journal = try WriteAheadLog.open(
            directory: journalDirectory, fs: fs, nextLSN: max(recovered.lastLSN ?? 0, state.sessionLSN) + 1,
            segmentBytes: 1 << 20)
        state.sessionLSN = max(recovered.lastLSN ?? 0, state.sessionLSN)
        state.queuedLSN = state.sessionLSN
        let ledger = StatsLedger(directory: directory, fs: fs, customers: customers, journal: journal, state: state)
        ledger.snapshotWork.withLock {
            $0 = SnapshotHistory(generation: generations.first ?? 0, newestLSN: base?.sessionLSN ?? 0)
        }
        var after = state.auditSeq, recounted = 0
        while true {
            let page = try audit.query(AuditQuery(limit: 100_000, after: after))
            ledger.count(page.entries)
            recounted += page.entries.count
            if page.next != nil { report("statistics: recounted \(recounted) access-log entries so far") }
            guard let next = page.next else { break }
            after = next
        }
        if recounted > 0 {
            report("statistics: recounted \(recounted) access-log entries written after the last counters snapshot")
        }
        if counting {
            audit.observe(
                { [ledger] entries in ledger.count(entries) },
                onRollBack: { [ledger] seq in ledger.auditRolledBack(to: seq) })
        }
        return ledger
    }

    /// Writes a snapshot of the counters once everything they count is durable (so a crash
    /// never leaves a snapshot counting a lookup the access log lost), then drops snapshots and
    /// journal segments no longer needed. Returns the file's size.
    @discardableResult
    public func writeSnapshot(audit: any AuditTrail) async throws -> Int {
        try resumeAfterFailure()
        let (queued, overcounted) = state.withLock { ($0.queuedLSN, $0.overcounted) }
        if overcounted {
            throw StatsLedgerError(
                description: """
                    the counters include lookups whose access-log entries were lost to a failed write; \
                    no statistics snapshot is written until the next start recounts them from the access log
                    """)
        }
        if queued > 0 { try await journal.waitUntilDurable(queued) }
        countDurableSessions()
        let (counters, auditSeq, sessionLSN) = state.withLock { s in
            _ = s.counters.drainDelta()
            return (s.counters, s.auditSeq, s.sessionLSN)
        }
        if auditSeq > 0 { try await audit.waitUntilDurable(AuditTicket(seq: auditSeq)) }
        if sessionLSN > 0 { try await journal.waitUntilDurable(sessionLSN) }
        let bytes = StatsSnapshotFile(counters: counters, auditSeq: auditSeq, sessionLSN: sessionLSN).encoded()
        try snapshotWork.withLock { (history: inout SnapshotHistory) throws in
            history.generation += 1
            let path = directory + "/" + StatsSnapshotFile.name(generation: history.generation)
            do {
                try fs.replaceAtomically(path) { fd throws(FileError) in
                    try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) }
                    }.get()
                }
            } catch {
                // The number is given again: a file left by a failed directory sync is complete and is replaced.
                history.generation -= 1
                throw error
            }
            try removeOldSnapshots(newest: history.generation)
            // The previous snapshot is the oldest kept: the journal before it is no longer needed.
            try journal.removeSegments(upTo: history.newestLSN, keep: 0)
            history.newestLSN = sessionLSN
        }
        return bytes.count
    }

    /// Removes snapshots older than the kept ones.
    private func removeOldSnapshots(newest: UInt64) throws(FileError) {
        let generations = try fs.list(directory).compactMap(StatsSnapshotFile.generation(ofFile:)).sorted(by: >)
        for old in generations.dropFirst(Self.keptSnapshots) where old < newest {
            try fs.unlink(directory + "/" + StatsSnapshotFile.name(generation: old))
        }
    }
}
