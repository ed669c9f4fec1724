import Glibc

/// One record frame as found on disk, read without requiring its checksum to hold.
///
/// Guarantees: `payload` is exactly the bytes the frame's length field covers;
/// `checksumValid` says whether the stored CRC32C matches them. Nothing else is checked.
public struct WALFrame: Sendable {
    /// Byte offset of the frame within its segment file.
    public let offset: Int
    public let lsn: UInt64
    public let payload: [UInt8]
    public let checksumValid: Bool

    /// Offset just past the frame.
    public var end: Int { offset + WALFormat.frameHeaderSize + payload.count }
}

/// A whole segment read frame by frame for inspection (audit verification, index rebuilds).
///
/// Guarantees: `frames` are in file order, each one inside the file; the walk follows length
/// fields only, so it continues past a checksum failure but stops at a zero or out-of-range
/// length. LSN order is not checked. `firstLSN` is `nil` when the header is not valid.
public struct WALSegmentContents: Sendable {
    public let firstLSN: UInt64?
    public let frames: [WALFrame]
    /// Offset just past the last frame walked.
    public let end: Int
}

extension WriteAheadLog {
    /// The segment files of `directory` with the first LSN their names give, oldest first.
    public static func segmentFiles(in directory: String, fs: any FileSystem) throws(FileError) -> [(
        firstLSN: UInt64, path: String
    )] {
        try listSegments(directory, fs).map { ($0.lsn, $0.path) }
    }

    /// Reads a segment file and walks its frames, tolerating checksum failures.
    /// - Complexity: O(file size).
    public static func readFrames(ofSegment path: String, fs: any FileSystem) throws(FileError) -> WALSegmentContents {
        let file = try fs.readWholeFile(path)
        return file.withUnsafeBytes { raw in
            guard case .valid(let first) = WALFormat.parseHeader(raw) else {
                return WALSegmentContents(firstLSN: nil, frames: [], end: 0)
            }
            var frames: [WALFrame] = []
            var offset = WALFormat.headerSize
            while let frame = frame(in: raw, at: offset) {
                frames.append(frame)
                offset += WALFormat.frameHeaderSize + frame.payload.count
            }
            return WALSegmentContents(firstLSN: first, frames: frames, end: offset)
        }
    }

    /// Reads the frame at `offset` of the open segment file `fd`; `nil` if no frame with an
    /// in-range length starts there.
    /// - Complexity: one or two `pread`s.
    public static func readFrame(at offset: Int, fd: Int32, fs: any FileSystem) throws(FileError) -> WALFrame? {
        var bytes = [UInt8](repeating: 0, count: 512)
        var got = try read(fd, fs, into: &bytes, at: offset)
        guard got >= WALFormat.frameHeaderSize else { return nil }
        let length = Int(bytes.withUnsafeBytes { $0.u32(at: 0) })
        guard length >= 8, length <= Int(UInt32.max) else { return nil }
        if 8 + length > got {
            bytes = [UInt8](repeating: 0, count: 8 + length)
            got = try read(fd, fs, into: &bytes, at: offset)
        }
        return bytes.withUnsafeBytes { raw in
            frame(in: raw.slice(0..<got), at: 0).map {
                WALFrame(offset: offset, lsn: $0.lsn, payload: $0.payload, checksumValid: $0.checksumValid)
            }
        }
    }

    private static func read(_ fd: Int32, _ fs: any FileSystem, into bytes: inout [UInt8], at offset: Int)
        throws(FileError) -> Int
    {
        try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in try fs.pread(fd, into: buffer, at: Int64(offset)) }
        }.get()
    }

    /// The frame at `offset` of a whole segment file read into memory (as `readFrame` does
    /// from the file), nil if no frame with an in-range length starts there.
    public static func frame(inFile file: [UInt8], at offset: Int) -> WALFrame? {
        guard offset >= 0 else { return nil }
        return file.withUnsafeBytes { frame(in: $0, at: offset) }
    }

    /// The frame at `offset` of `raw`, if its length field is non-zero and in range.
    private static func frame(in raw: UnsafeRawBufferPointer, at offset: Int) -> WALFrame? {
        guard raw.count - offset >= WALFormat.frameHeaderSize else { return nil }
        let length = Int(raw.u32(at: offset))
        guard length >= 8, length <= raw.count - offset - 8 else { return nil }
        let payload = raw.slice(offset + WALFormat.frameHeaderSize..<offset + 8 + length)
        let lsn = raw.u64(at: offset + 8)
        let valid = WALFormat.frameChecksum(lsn: lsn, payload: payload) == raw.u32(at: offset + 4)
        return WALFrame(offset: offset, lsn: lsn, payload: Array(payload), checksumValid: valid)
    }
}
