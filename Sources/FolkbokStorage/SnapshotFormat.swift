/// The byte layout of snapshot files (Snapshots/FORMAT.md, "Snapshot").
///
/// Guarantees: the only place that knows snapshot magics, versions and header/footer layout;
/// every integer little-endian. Version 1 holds encoded records in chunks; version 2 holds one
/// packed store image per shard; version 3 is version 2 whose images may end in detail tables
/// (P4 details, P5 history); version 4 is version 3 with the P4 details stored as the memory
/// arena keeps them, written when any store holds P4 details or P5 history. All stay readable.
enum SnapshotFormat {
    /// "FBSNAP\r\n".
    static let magic: [UInt8] = Array("FBSNAP\r\n".utf8)
    /// "FBSNAPEND".
    static let footerMagic: [UInt8] = Array("FBSNAPEND".utf8)
    /// Records in chunks (`RecordCodec` upserts).
    static let version1: UInt32 = 1
    /// One store image per shard.
    static let version2: UInt32 = 2
    /// Store images that may hold detail tables.
    static let version3: UInt32 = 3
    /// Store images whose P4 details are blobs in row order.
    static let version4: UInt32 = 4
    static let versions: ClosedRange<UInt32> = 1...4
    /// magic 8 | version u32 | covered LSN u64 | record count u64 | CRC32C u32 of the first 28 bytes.
    static let headerSize = 32
    /// payload length u32 | record count u32 | CRC32C u32 of (record count, payload).
    static let chunkHeaderSize = 12
    /// image length u64 | record count u64 | CRC32C u32 of (record count, image).
    static let shardHeaderSize = 20
    /// magic 9 | total records u64 | CRC32C u32.
    static let footerSize = 21
    static let targetChunkBytes = 1 << 20
    static let maxSectionName = 16
    static let suffix = ".fbsnap"

    static func fileName(lsn: UInt64) -> String {
        let digits = String(lsn)
        return "snapshot-" + String(repeating: "0", count: 20 - digits.count) + digits + suffix
    }

    /// The LSN named by a snapshot file name, `nil` for any other name.
    static func lsn(ofFileNamed name: String) -> UInt64? {
        let u = Array(name.utf8)
        guard u.count == 9 + 20 + suffix.utf8.count, name.hasPrefix("snapshot-"), name.hasSuffix(suffix) else {
            return nil
        }
        let digits = u[9..<29]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    static func header(version: UInt32, lsn: UInt64, count: UInt64) -> [UInt8] {
        var bytes = magic
        bytes.appendLE(version)
        bytes.appendLE(lsn)
        bytes.appendLE(count)
        bytes.appendLE(CRC32C.checksum(bytes))
        return bytes
    }

    /// The footer checksum: over the header CRC, each chunk CRC, the section count, each
    /// section CRC and the total record count, each as little-endian bytes, in file order.
    static func footerChecksum(header: UInt32, chunks: [UInt32], sections: [UInt32], total: UInt64) -> UInt32 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * (chunks.count + sections.count + 2) + 8)
        bytes.appendLE(header)
        for crc in chunks { bytes.appendLE(crc) }
        bytes.appendLE(UInt32(sections.count))
        for crc in sections { bytes.appendLE(crc) }
        bytes.appendLE(total)
        return CRC32C.checksum(bytes)
    }

    /// The version 2 footer checksum: over the header CRC, the shard count, each shard CRC, the
    /// section count, each section CRC and the total record count, in file order.
    static func footerChecksum(header: UInt32, shards: [UInt32], sections: [UInt32], total: UInt64) -> UInt32 {
        var bytes: [UInt8] = []
        bytes.appendLE(header)
        bytes.appendLE(UInt32(shards.count))
        for crc in shards { bytes.appendLE(crc) }
        bytes.appendLE(UInt32(sections.count))
        for crc in sections { bytes.appendLE(crc) }
        bytes.appendLE(total)
        return CRC32C.checksum(bytes)
    }

    /// Appends the section count and the sections (sorted by name); returns their CRCs.
    static func appendSections(_ sections: [String: [UInt8]], to bytes: inout [UInt8]) -> [UInt32] {
        bytes.appendLE(UInt32(sections.count))
        var crcs: [UInt32] = []
        for (name, data) in sections.sorted(by: { $0.key < $1.key }) {
            let nameBytes = Array(name.utf8)
            precondition(
                (1...SnapshotFormat.maxSectionName).contains(nameBytes.count) && nameBytes.allSatisfy { $0 < 0x80 },
                "section names are 1–16 ASCII bytes")
            precondition(data.count <= Int(UInt32.max), "section too large")
            let start = bytes.count
            bytes.append(UInt8(nameBytes.count))
            bytes.append(contentsOf: nameBytes)
            bytes.appendLE(UInt32(data.count))
            bytes.append(contentsOf: data)
            let crc = bytes.withUnsafeBytes { CRC32C.checksum($0.slice(start..<$0.count)) }
            bytes.appendLE(crc)
            crcs.append(crc)
        }
        return crcs
    }
}
