/// The shard images of a version 2, 3 or 4 snapshot held in memory, the container checked.
///
/// Guarantees: `images()` has checked the header, the shard table (every image inside the
/// file, records summing to the header's count), the sections and the footer checksum over
/// the stored CRCs; `withShard` checks that shard's own CRC before handing out its bytes, so
/// no byte reaches the caller unchecked. Shards may be read concurrently.
public struct SnapshotImages: Sendable {
    /// Path, version (2, 3 or 4), LSN, total records, size and sections.
    public let info: SnapshotInfo
    let bytes: FileBytes
    let shards: [Shard]

    struct Shard: Sendable {
        /// Offset of the shard's 20-byte header.
        let offset: Int
        let length: Int
        let records: UInt64
        let crc: UInt32
    }

    /// The number of shard images (the shard count of the server that wrote the file).
    public var shardCount: Int { shards.count }

    /// Records in shard `i`'s image, as its header states.
    public func records(inShard i: Int) -> Int { Int(shards[i].records) }

    /// Checks shard `i`'s checksum, then calls `body` with its image. An error thrown by `body`
    /// (the image failed validation) is reported as a `SnapshotError` at the shard's offset.
    public func withShard<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws(SnapshotError) -> R {
        let shard = shards[i]
        let start = shard.offset + SnapshotFormat.shardHeaderSize
        return try bytes.withUnsafeBytes { file in
            Result { () throws(SnapshotError) -> R in
                let image = file.slice(start..<start + shard.length)
                let crc = CRC32C.checksum(
                    image, seed: CRC32C.checksum(file.slice(shard.offset + 8..<shard.offset + 16)))
                guard crc == shard.crc else {
                    throw SnapshotError(
                        path: info.path, offset: shard.offset, problem: "shard \(i) image checksum mismatch")
                }
                do { return try body(image) } catch {
                    throw SnapshotError(
                        path: info.path, offset: shard.offset, problem: "shard \(i) image invalid (\(error))")
                }
            }
        }.get()
    }
}

extension SnapshotContents {
    /// The shard images of a version 2, 3 or 4 snapshot, the container checked (see `SnapshotImages`).
    public func images() throws(SnapshotError) -> SnapshotImages {
        guard version != SnapshotFormat.version1 else {
            throw SnapshotError(
                path: path, offset: 8, problem: "format version \(version) holds records, not store images")
        }
        let (info, shards) = try bytes.withUnsafeBytes { raw in
            Result { () throws(SnapshotError) -> (SnapshotInfo, [SnapshotImages.Shard]) in
                try SnapshotParser(path: path, file: raw).parseImageTable()
            }
        }.get()
        return SnapshotImages(info: info, bytes: bytes, shards: shards)
    }
}

extension SnapshotParser {
    /// Walks the shard table, the sections and the footer of a version 2 file.
    func parseImageTable() throws(SnapshotError) -> (SnapshotInfo, [SnapshotImages.Shard]) {
        let envelope = try envelope()
        let footer = envelope.footer
        var offset = SnapshotFormat.headerSize
        let count = Int(file.u32(at: offset))
        guard count >= 1, count <= (footer - offset - 4) / SnapshotFormat.shardHeaderSize else {
            throw fail(offset, "shard count out of range")
        }
        offset += 4
        var shards: [SnapshotImages.Shard] = []
        var total: UInt64 = 0
        for _ in 0..<count {
            guard footer - offset >= SnapshotFormat.shardHeaderSize else {
                throw fail(offset, "shard table runs into the footer")
            }
            let length = file.u64(at: offset)
            guard length <= UInt64(footer - offset - SnapshotFormat.shardHeaderSize) else {
                throw fail(offset, "shard image length out of range")
            }
            let records = file.u64(at: offset + 8)
            guard records <= UInt64(Int32.max) else { throw fail(offset, "shard record count out of range") }
            shards.append(.init(offset: offset, length: Int(length), records: records, crc: file.u32(at: offset + 16)))
            total += records
            offset += SnapshotFormat.shardHeaderSize + Int(length)
        }
        let (sections, sectionCRCs, end) = try parseSections(from: offset, footer: footer)
        guard end == footer else { throw fail(end, "unexpected bytes before the footer") }
        guard total == envelope.count else {
            throw fail(footer, "header promises \(envelope.count) records, shards hold \(total)")
        }
        let expected = SnapshotFormat.footerChecksum(
            header: envelope.headerCRC, shards: shards.map(\.crc), sections: sectionCRCs, total: envelope.count)
        guard file.u32(at: footer + 17) == expected else { throw fail(footer, "footer checksum mismatch") }
        let info = SnapshotInfo(
            path: path, version: envelope.version, lsn: envelope.lsn, count: Int(envelope.count),
            bytes: file.count, sections: sections)
        return (info, shards)
    }
}
