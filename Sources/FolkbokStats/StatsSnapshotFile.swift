import FolkbokStorage

/// The statistics snapshot file (`counters-<generation>.fbstats`), format version 1.
///
/// Layout: magic (8 bytes `0x89 'F' 'B' 'S' 'N' '\r' '\n' 0x1A`), version u16 LE, the last
/// access-log seq counted u64 LE, the last session-journal LSN counted u64 LE, counters length
/// u64 LE, the counters (`StatsCounters.encoded()`, with their own magic, version and CRC32C),
/// then CRC32C u32 LE of everything before it.
///
/// Guarantees: `decode(encode(x))` gives `x` back; any truncation, flipped byte, wrong magic or
/// unknown version throws `CodecError` naming the field.
struct StatsSnapshotFile {
    static let magic: [UInt8] = [0x89, 0x46, 0x42, 0x53, 0x4E, 0x0D, 0x0A, 0x1A]
    static let version: UInt64 = 1
    static let headerSize = 8 + 2 + 8 + 8 + 8
    static let suffix = ".fbstats"

    var counters: StatsCounters
    var auditSeq: UInt64
    var sessionLSN: UInt64

    func encoded() -> [UInt8] {
        let body = counters.encoded()
        var out = Self.magic
        out.reserveCapacity(Self.headerSize + body.count + 4)
        out.appendLE(Self.version, bytes: 2)
        out.appendLE(auditSeq, bytes: 8)
        out.appendLE(sessionLSN, bytes: 8)
        out.appendLE(UInt64(body.count), bytes: 8)
        out += body
        out.appendLE(UInt64(CRC32C.checksum(out)), bytes: 4)
        return out
    }

    init(counters: StatsCounters, auditSeq: UInt64, sessionLSN: UInt64) {
        self.counters = counters
        self.auditSeq = auditSeq
        self.sessionLSN = sessionLSN
    }

    init(decoding bytes: [UInt8]) throws(CodecError) {
        guard bytes.count >= Self.headerSize + 4 else {
            throw CodecError.statistics(.truncated, field: "header", offset: bytes.count)
        }
        guard bytes.prefix(8).elementsEqual(Self.magic) else {
            throw CodecError.statistics(.badMagic, field: "magic", offset: 0)
        }
        guard bytes.loadLE(at: 8, bytes: 2) == Self.version else {
            throw CodecError.statistics(.unsupportedVersion, field: "version", offset: 8)
        }
        let length = bytes.loadLE(at: 26, bytes: 8)
        guard length == UInt64(bytes.count - Self.headerSize - 4) else {
            throw CodecError.statistics(.truncated, field: "length", offset: 26)
        }
        let stored = bytes.loadLE(at: bytes.count - 4, bytes: 4)
        guard UInt64(CRC32C.checksum(Array(bytes[..<(bytes.count - 4)]))) == stored else {
            throw CodecError.statistics(.checksumMismatch, field: "checksum", offset: bytes.count - 4)
        }
        auditSeq = bytes.loadLE(at: 10, bytes: 8)
        sessionLSN = bytes.loadLE(at: 18, bytes: 8)
        counters = try StatsCounters(decoding: Array(bytes[Self.headerSize..<(bytes.count - 4)]))
    }

    /// The generation in a snapshot file name, nil for other names.
    static func generation(ofFile name: String) -> UInt64? {
        guard name.hasPrefix("counters-"), name.hasSuffix(suffix) else { return nil }
        return UInt64(name.dropFirst(9).dropLast(suffix.count))
    }

    static func name(generation: UInt64) -> String {
        let digits = String(generation)
        return "counters-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits + suffix
    }
}
