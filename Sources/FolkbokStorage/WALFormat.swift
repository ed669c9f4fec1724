/// The byte layout of log segments (Snapshots/FORMAT.md, "Write-ahead log").
///
/// Guarantees: the only place that knows magic, version, header and frame layout; every
/// integer little-endian; a frame's length is never 0 (it counts the 8 LSN bytes), so a zero
/// length always means "no more records".
enum WALFormat {
    /// "FBWAL\0\r\n": the NUL and CR LF expose text-mode and truncating copies.
    static let magic: [UInt8] = [0x46, 0x42, 0x57, 0x41, 0x4C, 0x00, 0x0D, 0x0A]
    static let version: UInt32 = 1
    /// magic 8 | version u32 | first LSN u64 | CRC32C u32 of the preceding 20 bytes.
    static let headerSize = 24
    /// length u32 | CRC32C u32 | LSN u64, then the payload.
    static let frameHeaderSize = 16
    static let defaultSegmentBytes = 64 << 20

    static func segmentName(firstLSN: UInt64) -> String {
        let digits = String(firstLSN)
        return "wal-" + String(repeating: "0", count: 20 - digits.count) + digits + ".log"
    }

    /// The first LSN named by a segment file name, `nil` for any other name.
    static func firstLSN(ofSegmentNamed name: String) -> UInt64? {
        let u = Array(name.utf8)
        guard u.count == 28, name.hasPrefix("wal-"), name.hasSuffix(".log") else { return nil }
        let digits = u[4..<24]
        guard digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self))
    }

    static func header(firstLSN: UInt64) -> [UInt8] {
        var bytes = magic
        bytes.appendLE(version)
        bytes.appendLE(firstLSN)
        bytes.appendLE(CRC32C.checksum(bytes))
        return bytes
    }

    enum Header: Equatable {
        case valid(firstLSN: UInt64)
        /// All zero (or shorter than a header and all zero): a segment whose creation was torn.
        case blank
        case invalid(String)
    }

    static func parseHeader(_ file: UnsafeRawBufferPointer) -> Header {
        let head = file.slice(0..<min(file.count, headerSize))
        if head.allSatisfy({ $0 == 0 }) { return .blank }
        guard head.count == headerSize else { return .invalid("file shorter than a segment header") }
        guard head.starts(with: magic) else { return .invalid("not a folkbok log segment (bad magic)") }
        guard CRC32C.checksum(head.slice(0..<20)) == head.u32(at: 20) else {
            return .invalid("segment header checksum mismatch")
        }
        let version = head.u32(at: 8)
        guard version == Self.version else { return .invalid("unsupported segment format version \(version)") }
        return .valid(firstLSN: head.u64(at: 12))
    }

    /// The checksum stored in a frame: over the LSN's 8 bytes, then the payload.
    static func frameChecksum(lsn: UInt64, payload: UnsafeRawBufferPointer) -> UInt32 {
        let lsnCRC = withUnsafeBytes(of: lsn.littleEndian) { CRC32C.checksum($0) }
        return CRC32C.checksum(payload, seed: lsnCRC)
    }

    static func appendFrame(lsn: UInt64, payload: [UInt8], to bytes: inout [UInt8]) {
        bytes.appendLE(UInt32(8 + payload.count))
        bytes.appendLE(payload.withUnsafeBytes { frameChecksum(lsn: lsn, payload: $0) })
        bytes.appendLE(lsn)
        bytes.append(contentsOf: payload)
    }
}
