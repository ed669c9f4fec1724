import FolkbokModel

extension SnapshotFile {
    /// Reads the version 1 snapshot at `path`, calling `each` for every record in file order.
    ///
    /// Header and footer are checked before the first record is delivered; each chunk's
    /// checksum before its records are. See `SnapshotFile` for what that means on corruption.
    /// If `each` throws, reading stops and the error is reported as a `SnapshotError` naming
    /// the record's offset. A version 2 file is refused (load it with `SnapshotContents`).
    /// - Complexity: O(file size); the file is read with one `pread` into one buffer.
    public static func read(
        path: String, fs: any FileSystem, _ each: (IdentityKey, PersonRecord) throws -> Void
    ) throws(SnapshotError) -> SnapshotInfo {
        try SnapshotContents.load(path: path, fs: fs).readRecords(each)
    }

    /// Checks every byte of the snapshot against its checksums and structure without delivering
    /// anything. Version 1: header, each chunk's checksum and records, sections, footer.
    /// Version 2: header, the shard table, each shard image's checksum, sections, footer (the
    /// images' contents are validated when loaded into stores, see `Persistence.verifySnapshot`).
    public static func verify(path: String, fs: any FileSystem) -> Result<SnapshotInfo, SnapshotError> {
        Result { () throws(SnapshotError) -> SnapshotInfo in
            let contents = try SnapshotContents.load(path: path, fs: fs)
            if contents.version == SnapshotFormat.version1 { return try contents.readRecords { _, _ in } }
            let images = try contents.images()
            for shard in 0..<images.shardCount { try images.withShard(shard) { _ in } }
            return images.info
        }
    }
}

/// A snapshot file in memory (mapped by the real file system), its header and footer envelope
/// checked.
///
/// Guarantees: `version` is a supported format version whose header checksum matched and whose
/// footer magic and record count are in place (a torn or truncated file fails `load`).
public struct SnapshotContents: Sendable {
    public let path: String
    /// 1 (records in chunks) or 2 to 4 (store images per shard).
    public let version: UInt32
    let bytes: FileBytes

    public static func load(path: String, fs: any FileSystem) throws(SnapshotError) -> SnapshotContents {
        let file: FileBytes
        do { file = try fs.mapWholeFile(path) } catch {
            throw SnapshotError(path: path, offset: 0, problem: "unreadable", fileError: error)
        }
        let version = try file.withUnsafeBytes { raw in
            Result { () throws(SnapshotError) -> UInt32 in try SnapshotParser(path: path, file: raw).envelope().version
            }
        }.get()
        return SnapshotContents(path: path, version: version, bytes: file)
    }

    /// Delivers the records of a version 1 snapshot (see `SnapshotFile.read`).
    public func readRecords(_ each: (IdentityKey, PersonRecord) throws -> Void) throws(SnapshotError) -> SnapshotInfo {
        guard version == SnapshotFormat.version1 else {
            throw SnapshotError(
                path: path, offset: 8, problem: "format version \(version) holds store images, not records")
        }
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(SnapshotError) -> SnapshotInfo in try SnapshotParser(path: path, file: raw).parse(each) }
        }.get()
    }
}

/// One pass over a snapshot held in memory: structure, checksums, records.
///
/// Guarantees: never reads outside `file`; every failure names the offset of the structure
/// that failed.
struct SnapshotParser {
    let path: String
    let file: UnsafeRawBufferPointer

    /// What the header and footer say, checked: both versions share this envelope.
    struct Envelope {
        let version: UInt32
        let lsn: UInt64
        let count: UInt64
        let headerCRC: UInt32
        /// Offset of the footer.
        let footer: Int
    }

    func fail(_ offset: Int, _ problem: String) -> SnapshotError {
        SnapshotError(path: path, offset: offset, problem: problem)
    }

    func envelope() throws(SnapshotError) -> Envelope {
        let minimum = SnapshotFormat.headerSize + 8 + SnapshotFormat.footerSize
        guard file.count >= minimum else {
            throw fail(file.count, "file too short (\(file.count) bytes) for a snapshot")
        }
        guard file.starts(with: SnapshotFormat.magic) else { throw fail(0, "not a folkbok snapshot (bad magic)") }
        let headerCRC = file.u32(at: 28)
        guard CRC32C.checksum(file.slice(0..<28)) == headerCRC else { throw fail(0, "header checksum mismatch") }
        let version = file.u32(at: 8)
        guard SnapshotFormat.versions.contains(version) else {
            throw fail(8, "unsupported snapshot format version \(version)")
        }
        let count = file.u64(at: 20)
        let footer = file.count - SnapshotFormat.footerSize
        guard file.slice(footer..<footer + 9).elementsEqual(SnapshotFormat.footerMagic) else {
            throw fail(footer, "footer missing (file truncated or torn)")
        }
        guard file.u64(at: footer + 9) == count else { throw fail(footer, "footer record count differs from header") }
        return Envelope(version: version, lsn: file.u64(at: 12), count: count, headerCRC: headerCRC, footer: footer)
    }

    func parse(_ each: (IdentityKey, PersonRecord) throws -> Void) throws(SnapshotError) -> SnapshotInfo {
        let envelope = try envelope()
        let (lsn, count, headerCRC, footer) = (envelope.lsn, envelope.count, envelope.headerCRC, envelope.footer)

        var offset = SnapshotFormat.headerSize
        var chunkCRCs: [UInt32] = []
        var delivered: UInt64 = 0
        while true {
            guard footer - offset >= 4 else { throw fail(offset, "chunk list runs into the footer") }
            let length = Int(file.u32(at: offset))
            if length == 0 {
                offset += 4
                break
            }
            guard length <= footer - offset - SnapshotFormat.chunkHeaderSize else {
                throw fail(offset, "chunk length out of range")
            }
            let payload = file.slice(
                offset + SnapshotFormat.chunkHeaderSize..<offset + SnapshotFormat.chunkHeaderSize + length)
            let crc = CRC32C.checksum(payload, seed: CRC32C.checksum(file.slice(offset + 4..<offset + 8)))
            guard crc == file.u32(at: offset + 8) else { throw fail(offset, "chunk checksum mismatch") }
            let records = try decodeChunk(payload, at: offset + SnapshotFormat.chunkHeaderSize, each)
            guard records == file.u32(at: offset + 4) else {
                throw fail(offset, "chunk record count differs from its records")
            }
            delivered += UInt64(records)
            chunkCRCs.append(crc)
            offset += SnapshotFormat.chunkHeaderSize + length
        }
        let (sections, sectionCRCs, end) = try parseSections(from: offset, footer: footer)
        guard end == footer else { throw fail(end, "unexpected bytes before the footer") }
        guard delivered == count else {
            throw fail(footer, "header promises \(count) records, chunks hold \(delivered)")
        }
        let expected = SnapshotFormat.footerChecksum(
            header: headerCRC, chunks: chunkCRCs, sections: sectionCRCs, total: count)
        guard file.u32(at: footer + 17) == expected else { throw fail(footer, "footer checksum mismatch") }
        return SnapshotInfo(
            path: path, version: SnapshotFormat.version1, lsn: lsn, count: Int(count), bytes: file.count,
            sections: sections)
    }

    /// Decodes and delivers the length-prefixed upserts of one chunk; returns how many.
    private func decodeChunk(
        _ payload: UnsafeRawBufferPointer, at base: Int, _ each: (IdentityKey, PersonRecord) throws -> Void
    ) throws(SnapshotError) -> UInt32 {
        var p = 0
        var records: UInt32 = 0
        while p < payload.count {
            guard payload.count - p >= 4 else { throw fail(base + p, "record length cut off") }
            let length = Int(payload.u32(at: p))
            guard length <= payload.count - p - 4 else { throw fail(base + p, "record length out of range") }
            let mutation: Mutation
            do { mutation = try RecordCodec.decode(payload.slice(p + 4..<p + 4 + length)) } catch {
                throw fail(base + p, "record undecodable (\(error))")
            }
            guard case .upsert(let key, let record) = mutation else { throw fail(base + p, "record is not an upsert") }
            do { try each(key, record) } catch {
                throw fail(base + p, "the caller rejected the record (\(type(of: error)))")
            }
            records += 1
            p += 4 + length
        }
        return records
    }

    func parseSections(from start: Int, footer: Int) throws(SnapshotError) -> ([String: [UInt8]], [UInt32], Int) {
        var offset = start
        guard footer - offset >= 4 else { throw fail(offset, "section count missing") }
        let count = Int(file.u32(at: offset))
        offset += 4
        var sections: [String: [UInt8]] = [:]
        var crcs: [UInt32] = []
        for _ in 0..<min(count, footer) {
            let sectionStart = offset
            guard footer - offset >= 1 else { throw fail(offset, "section runs into the footer") }
            let nameLength = Int(file[offset])
            guard (1...SnapshotFormat.maxSectionName).contains(nameLength), footer - offset >= 1 + nameLength + 4 else {
                throw fail(offset, "section name length out of range")
            }
            let name = String(decoding: file.slice(offset + 1..<offset + 1 + nameLength), as: UTF8.self)
            offset += 1 + nameLength
            let dataLength = Int(file.u32(at: offset))
            guard dataLength <= footer - offset - 8 else { throw fail(sectionStart, "section length out of range") }
            let data = Array(file.slice(offset + 4..<offset + 4 + dataLength))
            offset += 4 + dataLength
            let crc = CRC32C.checksum(file.slice(sectionStart..<offset))
            guard crc == file.u32(at: offset) else { throw fail(sectionStart, "section checksum mismatch") }
            offset += 4
            sections[name] = data
            crcs.append(crc)
        }
        return (sections, crcs, offset)
    }
}
