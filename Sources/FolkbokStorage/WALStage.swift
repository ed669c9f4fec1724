/// A queue in front of the log whose records are made on the log's writer thread: producers
/// hand the stage cheap values, and the writer turns what has gathered into records in one
/// batch just before writing it (the access log encodes and hash-chains its entries there).
///
/// A log opened with a stage takes records only from it (`WriteAheadLog.queue` is not used).
/// Every method is called by whoever runs the group commit (the writer thread, or a caller
/// of `WriteAheadLog.commitOnCaller`), one at a time, in this cycle: `drain`, then
/// either `landed` (the batch is durable) or `failed` (it is lost), and after a failure,
/// `resumed` once `WriteAheadLog.resume` has repaired the log.
public protocol WALStage: AnyObject, Sendable {
    /// Appends the records queued since the last call to `records`, the first with LSN
    /// `nextLSN` and the rest following by 1, and to `rotations` the LSNs that must begin a new
    /// segment. When nothing is queued it appends nothing, and must then call
    /// `WriteAheadLog.wake()` once something is (the writer is going to sleep).
    func drain(nextLSN: UInt64, into records: inout [(lsn: UInt64, payload: [UInt8])], rotations: inout [UInt64])

    /// The records of the last `drain` are durable; `offsets[i]` is where the frame of
    /// `records[i]` begins in its segment (a segment's first frame is at `WriteAheadLog.firstFrameOffset`).
    func landed(_ records: [(lsn: UInt64, payload: [UInt8])], offsets: [Int])

    /// The write of the last `drain`'s records failed: they are lost, and so is anything
    /// queued until `resumed`. The stage should refuse new work with `error` until then.
    func failed(_ error: FileError, durableLSN: UInt64)

    /// The log was repaired after a failure: records continue at `durableLSN + 1` in `generation`.
    func resumed(durableLSN: UInt64, generation: UInt64)
}

extension WriteAheadLog {
    /// Where a segment's first frame begins.
    public static var firstFrameOffset: Int { WALFormat.headerSize }

    /// The bytes a record with a payload of `payloadSize` bytes takes in a segment.
    public static func frameSize(payload payloadSize: Int) -> Int { WALFormat.frameHeaderSize + payloadSize }

    /// Wakes the writer thread (a `WALStage` calls this when work arrives while it sleeps).
    public func wake() { core.wake.signal() }

    /// Writes and syncs what the stage holds on the calling thread, when the writer thread
    /// sleeps with nothing else asked of it: one group commit whose waiters are told before
    /// this returns. It saves the two thread wake-ups of a lone record (waking the writer, and
    /// the writer waking the waiter) at the price of blocking the caller for the sync. Answers
    /// false, doing nothing, when the writer thread is at work (it takes the records itself),
    /// when the last commit took over a millisecond (a slow or stalled disk is waited for on
    /// the writer thread; callers commit again once a commit is quick), or when the log has no
    /// stage.
    public func commitOnCaller() -> Bool { core.commitOnCaller() }
}
