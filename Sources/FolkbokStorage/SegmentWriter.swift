import Glibc

/// Appends frames to the current segment and rotates to new ones; used only by the log's
/// writer thread (and by `open` before that thread starts).
///
/// Guarantees: `write` returns only after every frame of the batch is written and
/// `fdatasync`ed; a segment is synced before the log moves on to the next, and a new segment
/// is pre-allocated, headed, fsynced and its directory entry synced before any frame goes in.
/// If `write` throws, it first makes a best effort to zero everything the batch wrote and to
/// delete segments it created, so no unacknowledged record survives where the disk still
/// accepts writes.
final class SegmentWriter: @unchecked Sendable {
    let fs: any FileSystem
    let directory: String
    let segmentBytes: Int
    private(set) var fd: Int32
    private(set) var path: String
    private(set) var offset: Int
    private(set) var capacity: Int
    /// Called after a new segment exists (with its first LSN and path).
    var onRotate: (UInt64, String) -> Void = { _, _ in }
    /// LSNs whose record must begin a new segment (consumed as they are written).
    var rotateAt: Set<UInt64> = []
    private var buffer: [UInt8] = []
    /// Segments the last failed `write` created and then deleted.
    private(set) var deletedByRollBack: [String] = []

    init(fs: any FileSystem, directory: String, segmentBytes: Int, fd: Int32, path: String, offset: Int, capacity: Int) {
        self.fs = fs
        self.directory = directory
        self.segmentBytes = segmentBytes
        self.fd = fd
        self.path = path
        self.offset = offset
        self.capacity = capacity
    }

    /// Creates, pre-allocates, heads and syncs the segment whose first record is `firstLSN`.
    /// The file is filled with real zeros (not a sparse `ftruncate`): every block is allocated
    /// up front, so each later `fdatasync` writes data only, no allocation metadata.
    static func create(
        fs: any FileSystem, directory: String, firstLSN: UInt64, size: Int
    ) throws(FileError) -> (fd: Int32, path: String) {
        let path = directory + "/" + WALFormat.segmentName(firstLSN: firstLSN)
        let fd = try fs.open(path, flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o644)
        do {
            let zeros = [UInt8](repeating: 0, count: min(size, 1 << 20))
            try zeros.withUnsafeBytes { raw in
                Result { () throws(FileError) in
                    var at = 0
                    while at < size {
                        try fs.pwrite(fd, UnsafeRawBufferPointer(rebasing: raw[0..<min(raw.count, size - at)]), at: Int64(at))
                        at += raw.count
                    }
                }
            }.get()
            try WALFormat.header(firstLSN: firstLSN).withUnsafeBytes { raw in
                Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) }
            }.get()
            try fs.fsync(fd)
            try fs.syncDirectory(directory)
        } catch {
            fs.close(fd)
            throw error
        }
        return (fd, path)
    }

    /// Writes the frames, rotating as segments fill, and syncs.
    /// - Complexity: O(total payload bytes), one `pwrite` per segment touched, one sync per segment.
    func write(_ batch: [(lsn: UInt64, payload: [UInt8])]) throws(FileError) -> Int {
        var written: [(fd: Int32, from: Int, to: Int)] = []
        var retired: [Int32] = []
        var created: [String] = []
        defer { for old in retired { fs.close(old) } }
        var total = 0
        do {
            buffer.removeAll(keepingCapacity: true)
            for entry in batch {
                let frameSize = WALFormat.frameHeaderSize + entry.payload.count
                let requested = !rotateAt.isEmpty && rotateAt.remove(entry.lsn) != nil
                let hasRecords = offset + buffer.count > WALFormat.headerSize
                if offset + buffer.count + frameSize > capacity || (requested && hasRecords) {
                    try flush(&written)
                    try fs.fdatasync(fd)
                    let size = max(segmentBytes, WALFormat.headerSize + frameSize)
                    let next = try Self.create(fs: fs, directory: directory, firstLSN: entry.lsn, size: size)
                    retired.append(fd)
                    (fd, path, offset, capacity) = (next.fd, next.path, WALFormat.headerSize, size)
                    created.append(path)
                    onRotate(entry.lsn, path)
                }
                WALFormat.appendFrame(lsn: entry.lsn, payload: entry.payload, to: &buffer)
                total += frameSize
            }
            try flush(&written)
            try fs.fdatasync(fd)
        } catch {
            rollBack(written, created: created)
            throw error
        }
        return total
    }

    /// Writes the buffered frames at the current offset.
    private func flush(_ written: inout [(fd: Int32, from: Int, to: Int)]) throws(FileError) {
        guard !buffer.isEmpty else { return }
        let start = offset
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
            let zeros = [UInt8](repeating: 0, count: region.to - region.from)
            zeros.withUnsafeBytes { raw in _ = try? fs.pwrite(region.fd, raw, at: Int64(region.from)) }
            _ = try? fs.fdatasync(region.fd)
        }
    }

    func close() {
        fs.close(fd)
    }
}
