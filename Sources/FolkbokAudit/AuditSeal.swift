import FolkbokStorage

/// The seal of a finished segment: its entry range, time span and the chain hashes at both
/// ends, in a 112-byte file `seal-<first seq>.seal` (AUDIT-FORMAT.md).
///
/// Guarantees: `decode(encoded())` gives back the seal; `decode` returns `nil` for anything
/// with a wrong magic, version, size or CRC32C. `prevHash` is the stored hash of the entry
/// before `firstSeq` (genesis for seq 1), so verification can start at any sealed segment even
/// after older ones were removed.
struct AuditSeal: Equatable, Sendable {
    static let magic: [UInt8] = Array("FBASEAL\n".utf8)
    static let version: UInt32 = 1
    static let size = 112

    var firstSeq: UInt64
    var lastSeq: UInt64
    /// Earliest and latest entry time in the segment (µs since the epoch).
    var minTime: Int64
    var maxTime: Int64
    var prevHash: [UInt8]
    var lastHash: [UInt8]

    func encoded() -> [UInt8] {
        var out = Self.magic
        out.appendLE(Self.version)
        out.appendLE(firstSeq)
        out.appendLE(lastSeq)
        out.appendLE(minTime)
        out.appendLE(maxTime)
        out += prevHash
        out += lastHash
        out.appendLE(CRC32C.checksum(out))
        return out
    }

    static func decode(_ bytes: [UInt8]) -> AuditSeal? {
        guard bytes.count == size, bytes.starts(with: magic),
            CRC32C.checksum(Array(bytes[..<(size - 4)]))
                == bytes.withUnsafeBytes({ $0.loadUnaligned(fromByteOffset: size - 4, as: UInt32.self) })
        else { return nil }
        return bytes.withUnsafeBytes { raw -> AuditSeal? in
            var r = ByteReader(raw.slice(8..<size - 4), .auditEntry)
            guard let version = try? r.u32("version"), version == Self.version,
                let first = try? r.u64("first"), let last = try? r.u64("last"),
                let minTime = try? r.u64("min"), let maxTime = try? r.u64("max"),
                let prev = try? r.bytes(32, "prev"), let lastHash = try? r.bytes(32, "lastHash")
            else { return nil }
            return AuditSeal(
                firstSeq: first, lastSeq: last, minTime: Int64(bitPattern: minTime),
                maxTime: Int64(bitPattern: maxTime), prevHash: prev, lastHash: lastHash)
        }
    }

    /// Whether some entry of the segment may lie in `from...to`.
    func overlaps(_ from: Int64, _ to: Int64) -> Bool { maxTime >= from && minTime <= to }
}
