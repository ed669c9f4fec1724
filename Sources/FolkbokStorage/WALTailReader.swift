import Glibc

/// Reads a live log's records in LSN order from its segment files, for shipping them to a
/// replica while the log keeps growing.
///
/// Guarantees: `read(upTo:)` answers records with consecutive LSNs starting at `nextLSN`, each
/// with a valid checksum, never one above the given limit (the caller passes the log's durable
/// LSN, so nothing that is not durable is ever read); it throws `pruned` when the segment
/// holding `nextLSN` was deleted and `corrupt` when a durable record cannot be read back.
/// Not thread-safe: one reader per replica link.
public final class WALTailReader {
    /// Why the reader cannot go on.
    public enum TailError: Error, Sendable, CustomStringConvertible {
        /// The log no longer holds `wanted`; its oldest segment starts at `oldest` (nil: none).
        case pruned(wanted: UInt64, oldest: UInt64?)
        case corrupt(String)

        public var description: String {
            switch self {
            case .pruned(let wanted, let oldest):
                "the log no longer holds LSN \(wanted)"
                    + (oldest.map { " (its oldest segment starts at LSN \($0))" } ?? "")
            case .corrupt(let text): text
            }
        }
    }

    let wal: WriteAheadLog
    let fs: any FileSystem
    /// The next record to answer.
    public private(set) var nextLSN: UInt64
    private var fd: Int32 = -1
    private var segmentFirstLSN: UInt64 = 0
    private var offset = 0
    /// A window of the current segment read ahead (bytes past the last frame may be stale zeros).
    private var window: [UInt8] = []
    private var windowStart = 0
    /// How much the next refill reads: small at the live tail (each refill there is a few new
    /// records after stale zeros), doubling up to `windowBytes` while whole windows are consumed.
    private var fillBytes = minimumFillBytes
    static let windowBytes = 1 << 20
    static let minimumFillBytes = 64 << 10

    public init(wal: WriteAheadLog, after lsn: UInt64) {
        self.wal = wal
        fs = wal.core.fs
        nextLSN = lsn + 1
    }

    deinit { if fd >= 0 { fs.close(fd) } }

    /// Up to `maxRecords` records (and about `maxBytes` of payload) from `nextLSN` to `limit`.
    public func read(upTo limit: UInt64, maxRecords: Int, maxBytes: Int) throws -> [(lsn: UInt64, payload: [UInt8])] {
        var out: [(lsn: UInt64, payload: [UInt8])] = []
        var bytes = 0
        while nextLSN <= limit && out.count < maxRecords && bytes < maxBytes {
            if fd < 0 { try position() }
            guard let frame = try frame(at: offset) else {
                try moveToNextSegment()
                continue
            }
            guard frame.lsn == nextLSN else {
                throw TailError.corrupt(
                    "log record \(nextLSN) expected in \(WALFormat.segmentName(firstLSN: segmentFirstLSN)), found \(frame.lsn)"
                )
            }
            out.append((frame.lsn, frame.payload))
            bytes += frame.payload.count
            offset = frame.end
            nextLSN += 1
        }
        return out
    }

    /// Opens the segment holding `nextLSN` and walks to its frame.
    private func position() throws {
        let segments = wal.segments
        guard let segment = segments.last(where: { $0.firstLSN <= nextLSN }), segments.first!.firstLSN <= nextLSN else {
            throw TailError.pruned(wanted: nextLSN, oldest: segments.first?.firstLSN)
        }
        try open(segment)
        while true {
            guard let frame = try frame(at: offset) else {
                // The record is in the next segment (this one ended just before it).
                try moveToNextSegment()
                return
            }
            if frame.lsn >= nextLSN { return }
            offset = frame.end
        }
    }

    private func moveToNextSegment() throws {
        let segments = wal.segments
        if let next = segments.first(where: { $0.firstLSN == nextLSN }), next.firstLSN != segmentFirstLSN || fd < 0 {
            return try open(next)
        }
        if let first = segments.first, first.firstLSN > nextLSN {
            throw TailError.pruned(wanted: nextLSN, oldest: first.firstLSN)
        }
        throw TailError.corrupt("durable log record \(nextLSN) is in no segment")
    }

    private func open(_ segment: (firstLSN: UInt64, path: String)) throws {
        if fd >= 0 { fs.close(fd) }
        fd = -1
        do { fd = try fs.open(segment.path, flags: O_RDONLY, mode: 0) } catch {
            if error.errno == ENOENT { throw TailError.pruned(wanted: nextLSN, oldest: wal.segments.first?.firstLSN) }
            throw error
        }
        segmentFirstLSN = segment.firstLSN
        offset = WALFormat.headerSize
        window = []
        windowStart = 0
    }

    /// The frame at `offset` with a valid checksum, nil when none is there (yet). A window read
    /// earlier may hold zeros or a half-written frame where the writer has since written: such
    /// a miss is read again from the file before it counts.
    private func frame(at offset: Int) throws -> WALFrame? {
        if let found = try frameInWindow(at: offset, refill: false) { return found }
        return try frameInWindow(at: offset, refill: true)
    }

    private func frameInWindow(at offset: Int, refill: Bool) throws -> WALFrame? {
        if refill {
            fillBytes = Self.minimumFillBytes
            try fill(at: offset, bytes: fillBytes)
        } else if offset < windowStart || offset + WALFormat.frameHeaderSize > windowStart + window.count {
            fillBytes = min(Self.windowBytes, fillBytes * 2)
            try fill(at: offset, bytes: fillBytes)
        }
        var relative = offset - windowStart
        guard window.count - relative >= WALFormat.frameHeaderSize else { return nil }
        let length = Int(window.withUnsafeBytes { $0.u32(at: relative) })
        if length >= 8, relative + 8 + length > window.count {
            try fill(at: offset, bytes: max(fillBytes, 8 + length))
            relative = 0
        }
        guard let found = WriteAheadLog.frame(inFile: window, at: relative), found.checksumValid else { return nil }
        return WALFrame(offset: offset, lsn: found.lsn, payload: found.payload, checksumValid: true)
    }

    /// Reads `bytes` from `offset` into the window, reusing its storage (no allocation and no
    /// fresh pages per refill).
    private func fill(at offset: Int, bytes: Int) throws {
        window.removeAll(keepingCapacity: true)
        window.append(contentsOf: repeatElement(0, count: bytes))
        let got = try window.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in try fs.pread(fd, into: buffer, at: Int64(offset)) }
        }.get()
        window.removeSubrange(got...)
        windowStart = offset
    }
}
