import Dispatch
import FolkbokSync
import Glibc
import Synchronization

/// One shard's part of a version 2 snapshot: its record count, its image size and how to
/// write the image.
///
/// Guarantees expected of the producer: `write` appends exactly `bytes` bytes, and may run on
/// any thread (concurrently with other shards' `write`).
public struct SnapshotShardImage: Sendable {
    public let records: Int
    public let bytes: Int
    public let write: @Sendable (inout [UInt8]) -> Void

    public init(records: Int, bytes: Int, write: @escaping @Sendable (inout [UInt8]) -> Void) {
        self.records = records
        self.bytes = bytes
        self.write = write
    }
}

extension SnapshotFile {
    /// Writes a format version 2 snapshot (version 4 when `detailTables`: the images may end in
    /// detail tables) covering `lsn` into `directory`: one image per shard, then `sections`.
    /// Atomic like `write` (`FileSystem.replaceAtomically`).
    ///
    /// Shard images are produced and written concurrently (as many at once as there are
    /// cores, one buffer each, at offsets fixed in advance from the declared sizes).
    /// - Precondition: at least one shard; section names are 1–16 ASCII bytes.
    /// - Complexity: O(total image size).
    public static func writeImages(
        directory: String, lsn: UInt64, shards: [SnapshotShardImage], sections: [String: [UInt8]] = [:],
        detailTables: Bool = false, fs: any FileSystem
    ) throws(FileError) -> SnapshotInfo {
        let version = detailTables ? SnapshotFormat.version4 : SnapshotFormat.version2
        precondition(
            !shards.isEmpty && shards.count <= Int(UInt32.max), "a version 2 snapshot needs at least one shard")
        let path = directory + "/" + SnapshotFormat.fileName(lsn: lsn)
        var offsets: [Int] = []
        var end = SnapshotFormat.headerSize + 4
        for shard in shards {
            offsets.append(end)
            end += SnapshotFormat.shardHeaderSize + shard.bytes
        }
        let total = shards.reduce(0) { $0 + $1.records }
        return try fs.replaceAtomically(path) { fd throws(FileError) -> SnapshotInfo in
            let crcs = try writeShards(shards, at: offsets, fd: fd, fs: fs)
            var tail: [UInt8] = []
            let sectionCRCs = SnapshotFormat.appendSections(sections, to: &tail)
            let header = SnapshotFormat.header(version: version, lsn: lsn, count: UInt64(total))
            tail.append(contentsOf: SnapshotFormat.footerMagic)
            tail.appendLE(UInt64(total))
            tail.appendLE(
                SnapshotFormat.footerChecksum(
                    header: header.withUnsafeBytes { $0.u32(at: 28) }, shards: crcs, sections: sectionCRCs,
                    total: UInt64(total)))
            try tail.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: Int64(end)) }
            }.get()
            var start = header
            start.appendLE(UInt32(shards.count))
            try start.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) } }.get()
            return SnapshotInfo(
                path: path, version: version, lsn: lsn, count: total, bytes: end + tail.count, sections: sections)
        }
    }

    /// Produces, checksums and writes every shard frame; returns the frames' CRCs in shard order.
    private static func writeShards(
        _ shards: [SnapshotShardImage], at offsets: [Int], fd: Int32, fs: any FileSystem
    ) throws(FileError) -> [UInt32] {
        let results = Locked([Result<UInt32, FileError>?](repeating: nil, count: shards.count))
        DispatchQueue.concurrentPerform(iterations: shards.count) { i in
            let shard = shards[i]
            var frame: [UInt8] = []
            frame.reserveCapacity(SnapshotFormat.shardHeaderSize + shard.bytes)
            frame.appendLE(UInt64(shard.bytes))
            frame.appendLE(UInt64(shard.records))
            frame.appendLE(UInt32(0))
            shard.write(&frame)
            precondition(
                frame.count == SnapshotFormat.shardHeaderSize + shard.bytes,
                "shard image size differs from its declared size")
            let crc = frame.withUnsafeBytes {
                CRC32C.checksum(
                    $0.slice(SnapshotFormat.shardHeaderSize..<$0.count), seed: CRC32C.checksum($0.slice(8..<16)))
            }
            frame.storeLE(crc, at: 16)
            let result = frame.withUnsafeBytes { raw in
                Result { () throws(FileError) in try fs.pwrite(fd, raw, at: Int64(offsets[i])) }
            }.map { crc }
            results.withLock { $0[i] = result }
        }
        return try results.withLock { $0 }.map { result throws(FileError) in try result!.get() }
    }
}
