import FolkbokStorage
import Glibc

/// One sealed segment's on-disk index, `index-<first seq>.idx` (AUDIT-FORMAT.md): sorted
/// (key, seq, frame offset) triples behind a 257-entry fan-out table on the key's top byte.
///
/// Guarantees: `load` accepts only a file whose magic, version, range and CRC32C hold, and
/// keeps just the fan-out table in memory; `lookup` returns every triple with the key, in seq
/// order, with two system calls (open excluded) and no full read.
struct AuditIndexFile: Sendable {
    static let magic: [UInt8] = Array("FBAIDX\r\n".utf8)
    static let version: UInt32 = 1
    /// magic 8 | version u32 | first seq u64 | last seq u64 | pair count u32 | fan-out 257 × u32.
    static let pairsStart = 32 + 257 * 4
    static let pairSize = 16

    /// A key, the entry's seq, and its frame's offset in the segment file.
    struct Pair: Sendable {
        var key: UInt64
        var seq: UInt64
        var offset: UInt32
    }

    let firstSeq: UInt64
    let lastSeq: UInt64
    let fanout: [UInt32]

    /// The file's bytes for `pairs` (in any order).
    static func build(_ pairs: [Pair], firstSeq: UInt64, lastSeq: UInt64) -> [UInt8] {
        let sorted = sortedByKeyAndSeq(pairs)
        var out = magic
        out.reserveCapacity(pairsStart + sorted.count * pairSize + 4)
        out.appendLE(version)
        out.appendLE(firstSeq)
        out.appendLE(lastSeq)
        out.appendLE(UInt32(sorted.count))
        var counts = [UInt32](repeating: 0, count: 257)
        for p in sorted { counts[Int(p.key >> 56) + 1] += 1 }
        for b in 1..<257 { counts[b] += counts[b - 1] }
        for c in counts { out.appendLE(c) }
        // The triples written in place: appending them a field at a time took a third of sealing.
        let tableStart = out.count
        out.append(contentsOf: repeatElement(0, count: sorted.count * pairSize))
        out.withUnsafeMutableBytes { raw in
            var at = tableStart
            for p in sorted {
                raw.storeBytes(of: p.key.littleEndian, toByteOffset: at, as: UInt64.self)
                raw.storeBytes(of: UInt32(p.seq - firstSeq).littleEndian, toByteOffset: at + 8, as: UInt32.self)
                raw.storeBytes(of: p.offset.littleEndian, toByteOffset: at + 12, as: UInt32.self)
                at += pairSize
            }
        }
        out.appendLE(CRC32C.checksum(out))
        return out
    }

    static func load(_ bytes: [UInt8], firstSeq: UInt64, lastSeq: UInt64) -> AuditIndexFile? {
        guard bytes.count >= pairsStart + 4, bytes.starts(with: magic) else { return nil }
        return bytes.withUnsafeBytes { raw -> AuditIndexFile? in
            let body = raw.slice(0..<raw.count - 4)
            guard
                CRC32C.checksum(body) == raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self).littleEndian,
                raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian == version,
                raw.loadUnaligned(fromByteOffset: 12, as: UInt64.self).littleEndian == firstSeq,
                raw.loadUnaligned(fromByteOffset: 20, as: UInt64.self).littleEndian == lastSeq
            else { return nil }
            let count = Int(raw.loadUnaligned(fromByteOffset: 28, as: UInt32.self).littleEndian)
            guard raw.count == pairsStart + count * pairSize + 4 else { return nil }
            let fanout = (0..<257).map { raw.loadUnaligned(fromByteOffset: 32 + 4 * $0, as: UInt32.self).littleEndian }
            guard fanout[256] == count else { return nil }
            return AuditIndexFile(firstSeq: firstSeq, lastSeq: lastSeq, fanout: fanout)
        }
    }

    /// The (seq, offset) of every entry indexed under `key`, in seq order.
    func lookup(_ key: UInt64, path: String, fs: any FileSystem) throws(FileError) -> [(seq: UInt64, offset: Int)] {
        let bucket = Int(key >> 56)
        let lo = Int(fanout[bucket]), hi = Int(fanout[bucket + 1])
        guard hi > lo else { return [] }
        let fd = try fs.open(path, flags: O_RDONLY, mode: 0)
        defer { fs.close(fd) }
        var bytes = [UInt8](repeating: 0, count: (hi - lo) * Self.pairSize)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in
                try fs.pread(fd, into: buffer, at: Int64(Self.pairsStart + lo * Self.pairSize))
            }
        }.get()
        guard got == bytes.count else {
            throw FileError(path: path, operation: "read index (file shorter than its table)", errno: EIO)
        }
        return bytes.withUnsafeBytes { raw in
            (0..<(hi - lo)).compactMap { i -> (seq: UInt64, offset: Int)? in
                let at = i * Self.pairSize
                guard raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian == key else { return nil }
                let delta = raw.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self).littleEndian
                let offset = raw.loadUnaligned(fromByteOffset: at + 12, as: UInt32.self).littleEndian
                return (firstSeq + UInt64(delta), Int(offset))
            }
        }
    }
}
