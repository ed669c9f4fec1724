import FolkbokStorage
import Glibc

extension AuditLog {
    /// After a failed write (a full disk, an I/O error): repairs the log (`WriteAheadLog.resume`)
    /// and rolls the in-memory state back to the last durable entry (next seq, chain head,
    /// recent entries, open day), then tells the rollback observer. Does nothing when the log
    /// has not failed; throws, leaving it failed, while the disk still refuses. Call it from a
    /// thread that may block (the access-log upkeep thread does, each second).
    ///
    /// Entries that were not durable were never acknowledged (their requests were answered
    /// 5003 and nothing was disclosed); their seqs are given out again, and their tickets keep
    /// failing.
    public func resumeAfterFailure() throws {
        guard wal.failure != nil else { return }
        try state.withLock { s throws in
            let durable = try wal.resume()
            let head = try chainHash(of: durable, sealed: s.sealed)
            s.rollBack(to: durable, head: head, openSegment: wal.segments.last?.firstLSN ?? durable + 1)
            s.rollBackObserver?(durable)
        }
    }

    /// The chain hash stored with entry `seq` (read from its segment), or the anchor before
    /// the first entry.
    private func chainHash(of seq: UInt64, sealed: [SealedSegment]) throws -> [UInt8] {
        guard seq > 0 else { return AuditCodec.genesis }
        if let segment = wal.segments.last(where: { $0.firstLSN <= seq }) {
            let frames = try WriteAheadLog.readFrames(ofSegment: segment.path, fs: fs).frames
            if let frame = frames.last(where: { $0.lsn == seq }), let hash = AuditCodec.storedHash(frame.payload) { return hash }
        }
        if let seal = sealed.last(where: { $0.seal.lastSeq == seq }) { return seal.seal.lastHash }
        throw FileError(path: directory, operation: "find the chain hash of access-log entry \(seq)", errno: EIO)
    }
}
