/// Why a snapshot file cannot be used, naming the file, the byte offset and what failed.
///
/// Guarantees: never includes record contents; `description` ends with the operator's next step.
public struct SnapshotError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    /// Byte offset of the structure that failed (a chunk's or section's first byte, the footer…).
    public let offset: Int
    /// What failed, e.g. "chunk checksum mismatch".
    public let problem: String
    /// The underlying I/O error, for problems reading the file.
    public let fileError: FileError?

    public init(path: String, offset: Int, problem: String, fileError: FileError? = nil) {
        self.path = path
        self.offset = offset
        self.problem = problem
        self.fileError = fileError
    }

    public var description: String {
        if let fileError {
            return "snapshot \(path) could not be read: \(fileError). Fix the file system problem and restart."
        }
        return "snapshot \(path) is unusable: \(problem) at byte offset \(offset). "
            + "Move the file aside and start from the next older snapshot (the log must still reach back to it), "
            + "or restore the snapshot from a backup."
    }
}

/// What a snapshot holds: where, up to which LSN, how many records, its size and extra sections.
///
/// Guarantees: as read from a file whose every checksum matched (or as just written).
public struct SnapshotInfo: Sendable, Equatable {
    public var path: String
    /// Format version: 1 (records in chunks) or 2 (store images per shard).
    public var version: UInt32
    /// Every mutation up to and including this LSN is reflected.
    public var lsn: UInt64
    public var count: Int
    /// File size in bytes.
    public var bytes: Int
    /// Extra named sections (counters, reserve serials, …), by name.
    public var sections: [String: [UInt8]]

    public init(path: String, version: UInt32, lsn: UInt64, count: Int, bytes: Int, sections: [String: [UInt8]]) {
        self.path = path
        self.version = version
        self.lsn = lsn
        self.count = count
        self.bytes = bytes
        self.sections = sections
    }
}
