import FolkbokStorage

extension AuditLog {
    /// After a failed write (a full disk, an I/O error): repairs the log (`WriteAheadLog.resume`);
    /// the writer then continues the numbering and the chain after the last durable entry and
    /// tells the rollback observer (`AuditPipeline.resumed`). Does nothing when the log has not
    /// failed; throws, leaving it failed, while the disk still refuses. Call it from a thread
    /// that may block (the access-log upkeep thread does, each second).
    ///
    /// Entries that were not durable were never acknowledged (their requests were answered
    /// 5003 and nothing was disclosed); their seqs are given out again, and their tickets keep
    /// failing.
    public func resumeAfterFailure() throws {
        guard wal.failure != nil else { return }
        _ = try wal.resume()
    }
}
