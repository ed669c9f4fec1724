/// The byte layout of snapshot files (Snapshots/FORMAT.md, "Snapshot").
///
/// Guarantees: the only place that knows snapshot magics, version and header/footer layout;
/// every integer little-endian.
enum SnapshotFormat {
    /// "FBSNAP\r\n".
    static let magic: [UInt8] = Array("FBSNAP\r\n".utf8)
    /// "FBSNAPEND".
    static let footerMagic: [UInt8] = Array("FBSNAPEND".utf8)
    static let version: UInt32 = 1
    /// magic 8 | version u32 | covered LSN u64 | record count u64 | CRC32C u32 of the first 28 bytes.
    static let headerSize = 32
    /// payload length u32 | record count u32 | CRC32C u32 of (record count, payload).
    static let chunkHeaderSize = 12
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
        guard u.count == 9 + 20 + suffix.utf8.count, name.hasPrefix("snapshot-"), name.hasSuffix(suffix) else { return nil }
        let digits = u[9..<29]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    static func header(lsn: UInt64, count: UInt64) -> [UInt8] {
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
}
