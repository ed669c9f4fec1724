import FolkbokModel
import Glibc

/// Snapshot files: a complete, checksummed image of the register at one LSN, in format
/// version 2 (`writeImages`: one store image per shard) or, readable forever, version 1
/// (`write`/`read`: encoded records in chunks).
///
/// Guarantees: `write` and `writeImages` are atomic (`FileSystem.replaceAtomically`: `<name>.tmp`,
/// fsync, rename into place, fsync the directory), so a snapshot file either is complete or does not exist. `read`
/// checks the header and footer before delivering anything (a torn file delivers no record)
/// and each chunk's checksum before delivering that chunk's records; a corrupt chunk is
/// reported when reached, so records of earlier chunks have been delivered by then — callers
/// load into fresh state and discard it on error, or call `verify` first.
public enum SnapshotFile {
    /// Writes a format version 1 snapshot of `records` covering `lsn` into `directory` (the
    /// server writes version 2 with `writeImages`; this stays for tools and tests).
    /// - Precondition: section names are 1–16 ASCII bytes.
    /// - Complexity: O(total encoded size); one `pwrite` per 8 MiB.
    public static func write(
        directory: String, lsn: UInt64, records: some Sequence<(IdentityKey, PersonRecord)>,
        sections: [String: [UInt8]] = [:], fs: any FileSystem
    ) throws(FileError) -> SnapshotInfo {
        let path = directory + "/" + SnapshotFormat.fileName(lsn: lsn)
        let (count, bytes) = try fs.replaceAtomically(path) { fd throws(FileError) -> (Int, Int) in
            var out = ChunkedOutput(fs: fs, fd: fd)
            for (key, record) in records {
                try out.add { RecordCodec.encodeUpsert(key, record, into: &$0) }
            }
            try out.finishChunks()
            let sectionCRCs = out.appendSections(sections)
            let headerBytes = SnapshotFormat.header(
                version: SnapshotFormat.version1, lsn: lsn, count: UInt64(out.total))
            let headerCRC = headerBytes.withUnsafeBytes { $0.u32(at: 28) }
            out.bytes.append(contentsOf: SnapshotFormat.footerMagic)
            out.bytes.appendLE(UInt64(out.total))
            out.bytes.appendLE(
                SnapshotFormat.footerChecksum(
                    header: headerCRC, chunks: out.chunkCRCs, sections: sectionCRCs, total: UInt64(out.total)))
            try out.flush()
            try headerBytes.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) } }
                .get()
            return (out.total, out.fileOffset)
        }
        return SnapshotInfo(
            path: path, version: SnapshotFormat.version1, lsn: lsn, count: count, bytes: bytes, sections: sections)
    }
}

/// The write buffer of a snapshot: records grouped into checksummed chunks, flushed in big writes.
struct ChunkedOutput {
    let fs: any FileSystem
    let fd: Int32
    var bytes: [UInt8]
    /// File offset of `bytes[0]`.
    var fileOffset = 0
    var chunkStart: Int?
    var chunkCount: UInt32 = 0
    var total = 0
    var chunkCRCs: [UInt32] = []
    static let flushBytes = 8 << 20

    init(fs: any FileSystem, fd: Int32) {
        self.fs = fs
        self.fd = fd
        bytes = []
        bytes.reserveCapacity(Self.flushBytes + 2 * SnapshotFormat.targetChunkBytes)
        bytes.append(contentsOf: repeatElement(0, count: SnapshotFormat.headerSize))
    }

    /// Adds one record, length-prefixed, sealing the chunk once it reaches the target size.
    @inline(__always)
    mutating func add(_ encode: (inout [UInt8]) -> Void) throws(FileError) {
        if chunkStart == nil {
            chunkStart = bytes.count
            bytes.append(contentsOf: repeatElement(0, count: SnapshotFormat.chunkHeaderSize))
        }
        let lengthAt = bytes.count
        bytes.appendLE(UInt32(0))
        encode(&bytes)
        bytes.storeLE(UInt32(bytes.count - lengthAt - 4), at: lengthAt)
        chunkCount += 1
        total += 1
        if bytes.count - chunkStart! >= SnapshotFormat.targetChunkBytes { try sealChunk() }
    }

    private mutating func sealChunk() throws(FileError) {
        guard let start = chunkStart else { return }
        let payloadStart = start + SnapshotFormat.chunkHeaderSize
        let count = chunkCount
        let crc = bytes.withUnsafeBytes { raw in
            let countCRC = withUnsafeBytes(of: count.littleEndian) { CRC32C.checksum($0) }
            return CRC32C.checksum(raw.slice(payloadStart..<raw.count), seed: countCRC)
        }
        bytes.storeLE(UInt32(bytes.count - payloadStart), at: start)
        bytes.storeLE(count, at: start + 4)
        bytes.storeLE(crc, at: start + 8)
        chunkCRCs.append(crc)
        chunkStart = nil
        chunkCount = 0
        if bytes.count >= Self.flushBytes { try flush() }
    }

    /// Seals the last chunk and writes the end-of-chunks marker.
    mutating func finishChunks() throws(FileError) {
        try sealChunk()
        bytes.appendLE(UInt32(0))
    }

    /// Appends the section count and the sections (sorted by name); returns their CRCs.
    mutating func appendSections(_ sections: [String: [UInt8]]) -> [UInt32] {
        SnapshotFormat.appendSections(sections, to: &bytes)
    }

    mutating func flush() throws(FileError) {
        guard !bytes.isEmpty else { return }
        let at = Int64(fileOffset)
        try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: at) } }.get()
        fileOffset += bytes.count
        bytes.removeAll(keepingCapacity: true)
    }
}
