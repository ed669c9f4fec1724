/// Something the service did that belongs in the operator's log (`ServiceConfig.events`).
///
/// Guarantees: no case carries person data. Cases hold counts, durations, region codes,
/// customer ids (organisations, not persons), uids, paths the operator chose and reasons that
/// are themselves free of person data (`ImportReport.errors`); never an identity, name or
/// address, and never the staff `user` of a session.
public enum ServiceEvent: Sendable {
    /// `session.open` succeeded.
    case sessionOpened(customer: String, purpose: String?, contract: String?, uid: UInt32)
    /// `admin.import` finished; `firstErrors` are the first rejected lines (number and reason).
    case imported(
        region: String, mode: String, inserted: Int, updated: Int, removed: Int, rejected: Int,
        firstErrors: [(line: Int, reason: String)], seconds: Double)
    /// `admin.import` failed as a whole, answered with this error code.
    case importFailed(region: String, code: Int)
    /// `admin.snapshot` wrote a snapshot.
    case snapshotWritten(lsn: UInt64, bytes: Int, seconds: Double)
    /// `admin.snapshot` could not write one.
    case snapshotFailed(reason: String)
}
