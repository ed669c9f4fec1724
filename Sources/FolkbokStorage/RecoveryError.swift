/// Why the log could not be recovered, with where and what the operator should do.
///
/// Guarantees: names the segment file and byte offset (and LSNs where relevant), never record
/// contents; `description` ends with the operator's next step.
public struct RecoveryError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// Bytes that are not a valid record where records must be (not a torn tail).
        case corruption(reason: String)
        /// The log does not reach back to the first LSN recovery needs.
        case missingRecords(needed: UInt64, logStarts: UInt64)
        /// Reading, truncating or removing a file failed.
        case io(FileError)
        /// The caller's `apply` threw for the record at this LSN.
        case applyFailed(lsn: UInt64, underlying: any Error & Sendable)
    }

    public let kind: Kind
    /// The segment file concerned.
    public let file: String
    /// Byte offset within `file` (0 for whole-file problems).
    public let offset: Int64

    public init(_ kind: Kind, file: String, offset: Int64) {
        self.kind = kind
        self.file = file
        self.offset = offset
    }

    public var description: String {
        switch kind {
        case .corruption(let reason):
            return "write-ahead log corrupt in \(file) at byte offset \(offset): \(reason). "
                + "The records from this point on cannot be trusted. Restore the log directory from a backup, "
                + "or start with --recover=truncate-log to drop everything from this point on (this loses those changes)."
        case .missingRecords(let needed, let starts):
            return
                "write-ahead log incomplete: recovery needs LSN \(needed) but the log in \(file) starts at LSN \(starts). "
                + "Restore the missing segments or a snapshot covering LSN \(starts - 1); do not start the server without them."
        case .io(let error):
            return
                "write-ahead log recovery could not access \(file): \(error). Fix the file system problem and restart."
        case .applyFailed(let lsn, let underlying):
            return
                "write-ahead log record LSN \(lsn) in \(file) at byte offset \(offset) could not be applied (\(Self.safeDescription(underlying))). "
                + "The record is intact on disk; this is a software fault or a newer log format. Do not truncate the log; report it."
        }
    }

    /// Our own errors are known not to carry person data; for others only the type is shown.
    private static func safeDescription(_ error: any Error) -> String {
        if let box = error as? SendableErrorBox { return safeDescription(box.error) }
        if let codec = error as? CodecError { return codec.description }
        return "\(type(of: error))"
    }
}

/// What `WriteAheadLog.recover` found and did.
///
/// Guarantees: `truncatedTail` is set exactly when recovery zeroed bytes (a torn tail, or
/// corruption with `truncateCorruptTail`); `droppedBytes` counts the non-zero bytes it discarded.
public struct RecoveryReport: Sendable {
    /// Segment files read.
    public var segments = 0
    /// LSN of the last valid record in the log (`nil` for an empty log).
    public var lastLSN: UInt64?
    /// Records passed to `apply` (those with LSN above `after`).
    public var applied = 0
    /// Where the log was cut: the file and the offset from which it is now zero.
    public var truncatedTail: (file: String, offset: Int64)?
    /// Non-zero bytes discarded by the cut (including whole removed segments).
    public var droppedBytes = 0
    /// Segment files deleted because they came after the cut.
    public var removedSegments: [String] = []

    public init() {}
}
