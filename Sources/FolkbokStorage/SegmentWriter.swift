import Glibc

/// Appends frames to the current segment, grows it as needed and rotates to new ones; used
/// only by the log's writer thread (and by `open` before that thread starts).
///
/// Guarantees: `write` returns only after every frame of the batch is written and
/// `fdatasync`ed; a segment is synced before the log moves on to the next, and a new segment
/// is headed, fsynced and its directory entry synced before any frame goes in. Segments are
/// allocated in steps of `growthBytes` of real zeros (up to `segmentBytes`), never more than
/// the log needs, so a small volume is not filled by one pre-allocated segment; the bytes past
/// the last frame are always zeros. A segment whose creation fails is deleted.
/// If `write` throws, it first makes a best effort to zero everything the batch wrote and to
/// delete segments it created, so no unacknowledged record survives where the disk still
/// accepts writes, and the writer goes back to where the batch started; `repair` finishes
/// that clean-up (and proves the disk takes writes again) before the log is used again.
final class SegmentWriter: @unchecked Sendable {
    /// How much a segment grows at a time: one metadata sync per step, not per batch.
    static let growthBytes = 1 << 20
    /// Frames buffered before a `pwrite` within one batch: the buffer's capacity, kept for
    /// the next batch, stays about this size however large a batch (an import's batch of
    /// 32,768 records would otherwise leave a 16 MiB buffer behind for good).
    static let bufferBytes = 1 << 20

    let fs: any FileSystem
    let directory: String
    let segmentBytes: Int
    private(set) var fd: Int32
    private(set) var path: String
    private(set) var offset: Int
    /// Bytes of the current segment allocated (zero-filled) so far.
    private(set) var capacity: Int
    /// The size the current segment may grow to before the log moves to a new one.
    private(set) var limit: Int
    /// Called after a new segment exists (with its first LSN and path).
    var onRotate: (UInt64, String) -> Void = { _, _ in }
    /// LSNs whose record must begin a new segment (consumed as they are written).
    var rotateAt: Set<UInt64> = []
    private var buffer: [UInt8] = []
    /// Where each frame of the last successful `write` begins in its segment, in batch order.
    private(set) var offsets: [Int] = []
    /// Segments the last failed `write` created and then deleted.
    private(set) var deletedByRollBack: [String] = []
    /// What a failed `write` may have left behind: bytes after `offset` in the current segment
    /// up to `dirtyEnd`, and segments it created.
    private var damage: (dirtyEnd: Int, segments: [String])?

    init(
        fs: any FileSystem, directory: String, segmentBytes: Int, fd: Int32, path: String, offset: Int, capacity: Int,
        limit: Int
    ) {
        self.fs = fs
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.fd = fd
        self.path = path
        self.offset = offset
        self.capacity = capacity
        self.limit = limit
    }

    /// The bytes a new segment starts with: one growth step, or all of it when smaller.
    static func initialBytes(limit: Int) -> Int { min(limit, growthBytes) }

    /// Creates, allocates `bytes` of zeros in, heads and syncs the segment whose first record is
    /// `firstLSN`. Real zeros, not a sparse `ftruncate`: the blocks are allocated now, so later
    /// `fdatasync`s write data only. On failure the file is deleted again (best effort).
    static func create(
        fs: any FileSystem, directory: String, firstLSN: UInt64, bytes: Int
    ) throws(FileError) -> (fd: Int32, path: String) {
        let path = directory + "/" + WALFormat.segmentName(firstLSN: firstLSN)
        let fd = try fs.open(path, flags: O_RDWR | O_CREAT | O_EXCL, mode: FileModes.file)
        do {
            try zeroFill(fs, fd, from: 0, to: bytes)
            try WALFormat.header(firstLSN: firstLSN).withUnsafeBytes { raw in
                Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) }
            }.get()
            try fs.fsync(fd)
            try fs.syncDirectory(directory)
        } catch {
            fs.close(fd)
            try? fs.unlink(path)
            try? fs.syncDirectory(directory)
            throw error
        }
        return (fd, path)
    }

    /// The zeros every fill writes from: allocated once, never changed (a fresh MiB per growth
    /// step cost the log's writer a mapping, its page faults and an unmapping each time).
    private static let zeros = [UInt8](repeating: 0, count: 1 << 20)

    /// Writes zeros over `from..<to` of `fd`, at most 1 MiB per `pwrite`.
    static func zeroFill(_ fs: any FileSystem, _ fd: Int32, from: Int, to end: Int) throws(FileError) {
        guard end > from else { return }
        try zeros.withUnsafeBytes { raw in
            Result { () throws(FileError) in
                var at = from
                while at < end {
                    let n = min(raw.count, end - at)
                    try fs.pwrite(fd, UnsafeRawBufferPointer(rebasing: raw[0..<n]), at: Int64(at))
                    at += n
                }
            }
        }.get()
    }

    /// Writes the frames, growing and rotating segments as they fill, and syncs.
    /// - Complexity: O(total payload bytes), one `pwrite` per `bufferBytes` of frames, one sync
    ///   per segment touched.
    func write(_ batch: [(lsn: UInt64, payload: [UInt8])]) throws(FileError) -> Int {
        let start = (fd: fd, path: path, offset: offset, capacity: capacity, limit: limit)
        var written: [(fd: Int32, from: Int, to: Int)] = []
        var created: [(fd: Int32, path: String)] = []
        var total = 0
        offsets.removeAll(keepingCapacity: true)
        do {
            buffer.removeAll(keepingCapacity: true)
            for entry in batch {
                let frameSize = WALFormat.frameHeaderSize + entry.payload.count
                let requested = !rotateAt.isEmpty && rotateAt.remove(entry.lsn) != nil
                let hasRecords = offset + buffer.count > WALFormat.headerSize
                if offset + buffer.count + frameSize > limit || (requested && hasRecords) {
                    try flush(&written)
                    try fs.fdatasync(fd)
                    try rotate(firstLSN: entry.lsn, largestFrame: frameSize, &created)
                }
                offsets.append(offset + buffer.count)
                WALFormat.appendFrame(lsn: entry.lsn, payload: entry.payload, to: &buffer)
                total += frameSize
                if buffer.count >= Self.bufferBytes { try flush(&written) }
            }
            try flush(&written)
            try fs.fdatasync(fd)
        } catch {
            rollBack(written, created: created.map(\.path))
            for segment in created { fs.close(segment.fd) }
            let dirty = written.filter { $0.fd == start.fd }.map(\.to).max() ?? start.offset
            damage = (max(dirty, damage?.dirtyEnd ?? 0), (damage?.segments ?? []) + created.map(\.path))
            (fd, path, offset, capacity, limit) = start
            throw error
        }
        if !created.isEmpty {
            fs.close(start.fd)
            for segment in created.dropLast() { fs.close(segment.fd) }
        }
        return total
    }

    /// Starts the segment whose first record is `firstLSN` (the current one must be synced).
    private func rotate(firstLSN: UInt64, largestFrame: Int, _ created: inout [(fd: Int32, path: String)])
        throws(FileError)
    {
        let newLimit = max(segmentBytes, WALFormat.headerSize + largestFrame)
        let bytes = Self.initialBytes(limit: newLimit)
        let next = try Self.create(fs: fs, directory: directory, firstLSN: firstLSN, bytes: bytes)
        created.append(next)
        (fd, path, offset, capacity, limit) = (next.fd, next.path, WALFormat.headerSize, bytes, newLimit)
        onRotate(firstLSN, path)
    }

    /// Allocates the current segment up to at least `end` (≤ `limit`), a growth step at a time.
    private func reserve(upTo end: Int) throws(FileError) {
        guard end > capacity else { return }
        let steps = (end + Self.growthBytes - 1) / Self.growthBytes
        let target = min(limit, steps * Self.growthBytes)
        try Self.zeroFill(fs, fd, from: capacity, to: target)
        capacity = target
    }

    /// Writes the buffered frames at the current offset (growing the segment first).
    private func flush(_ written: inout [(fd: Int32, from: Int, to: Int)]) throws(FileError) {
        guard !buffer.isEmpty else { return }
        let start = offset
        try reserve(upTo: start + buffer.count)
        written.append((fd, start, start + buffer.count))
        try buffer.withUnsafeBytes { raw in
            Result { () throws(FileError) in try fs.pwrite(fd, raw, at: Int64(start)) }
        }.get()
        offset += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Best effort: zero what a failed batch wrote, delete the segments it created, and sync,
    /// ignoring further errors.
    private func rollBack(_ written: [(fd: Int32, from: Int, to: Int)], created: [String]) {
        deletedByRollBack = created
        for path in created { try? fs.unlink(path) }
        if !created.isEmpty { try? fs.syncDirectory(directory) }
        for region in written where region.to > region.from {
            _ = try? Self.zeroFill(fs, region.fd, from: region.from, to: region.to)
            _ = try? fs.fdatasync(region.fd)
        }
    }

    /// After a failed `write`: deletes the segments it created (if still there), zeroes and
    /// syncs what it wrote after `offset` and reads it back as zeros, then makes sure the next
    /// record has allocated room (growing the segment or starting the one for `nextLSN`) and
    /// writes zeros there, so a disk that still refuses fails here, not in the next write.
    /// Throws if any of it fails; it can be called again.
    func repair(nextLSN: UInt64) throws(FileError) {
        rotateAt.removeAll()
        if let left = damage {
            for segment in left.segments {
                do { try fs.unlink(segment) } catch  where error.errno == ENOENT {}
            }
            if !left.segments.isEmpty { try fs.syncDirectory(directory) }
            damage = (left.dirtyEnd, [])
            if left.dirtyEnd > offset {
                try Self.zeroFill(fs, fd, from: offset, to: left.dirtyEnd)
                try fs.fdatasync(fd)
                try verifyZeros(from: offset, to: left.dirtyEnd)
            }
            damage = nil
        }
        if offset > WALFormat.headerSize && limit - offset < WALFormat.frameHeaderSize + 4096 {
            var created: [(fd: Int32, path: String)] = []
            let old = fd
            try fs.fdatasync(fd)
            try rotate(firstLSN: nextLSN, largestFrame: 0, &created)
            fs.close(old)
            return
        }
        try reserve(upTo: min(limit, offset + Self.growthBytes / 2))
        // A real write where the next record goes (zeros over zeros) proves the disk takes writes.
        try Self.zeroFill(fs, fd, from: offset, to: min(capacity, offset + 4096))
        try fs.fdatasync(fd)
    }

    /// Syncs and leaves the current segment and starts the one whose first record is
    /// `firstLSN` (a log that jumps ahead: `WriteAheadLog.restart(after:)`).
    func startSegment(firstLSN: UInt64) throws(FileError) {
        rotateAt.removeAll()
        var created: [(fd: Int32, path: String)] = []
        let old = fd
        try fs.fdatasync(fd)
        try rotate(firstLSN: firstLSN, largestFrame: 0, &created)
        fs.close(old)
    }

    /// Reads `from..<to` of the current segment back and throws unless it is all zeros.
    private func verifyZeros(from: Int, to end: Int) throws(FileError) {
        var bytes = [UInt8](repeating: 0xFF, count: end - from)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in try fs.pread(fd, into: buffer, at: Int64(from)) }
        }.get()
        guard bytes[..<got].allSatisfy({ $0 == 0 }) else {
            throw FileError(path: path, operation: "zeroing the records of a failed write", errno: EIO)
        }
    }

    func close() {
        fs.close(fd)
    }
}
