/// Whether a replica that connects far behind gets the primary's newest snapshot (and the log
/// after it) instead of the log records it lacks.
///
/// Why: log shipping costs per record the replica lacks (each is decoded, written, synced and
/// applied one by one), a snapshot costs per person held (copied and loaded as whole store
/// images, several times faster per person). BENCHMARKS.md "Replication" has the figures the
/// default rule comes from.
///
/// Guarantees: a snapshot is chosen only when it is ahead of the replica (it never takes a
/// replica back), and, without `fixedRecords`, only when it covers at least `minimumRecords`
/// records the replica lacks and at least one per `personsPerRecord` persons the register holds.
struct CatchUpPolicy: Sendable {
    static let minimumRecords: UInt64 = 100_000
    static let personsPerRecord = 4

    /// `--catchup-snapshot N`: this many records instead of the rule (nil: the rule).
    var fixedRecords: UInt64?

    /// `persons` is asked only when the rule needs it.
    func prefersSnapshot(replicaLSN: UInt64, snapshotLSN: UInt64, persons: () -> Int) -> Bool {
        guard snapshotLSN > replicaLSN else { return false }
        let covered = snapshotLSN - replicaLSN
        if let fixedRecords { return covered >= fixedRecords }
        return covered >= Self.minimumRecords && covered >= UInt64(max(0, persons()) / Self.personsPerRecord)
    }
}
