import FolkbokModel
import FolkbokStorage

/// The byte form of counters (snapshots) and deltas (write-ahead log), format version 2
/// (version 1, from before profiles P4 and P5, is still read: its contexts are renumbered).
///
/// Layout: magic (8 bytes: `0x89 'F' 'B' 'S' 'C'|'D' '\r' '\n' 0x1A`, so a text-mode or
/// byte-order mistake shows), version u16 LE, body length u64 LE, body, CRC32C u32 LE of
/// everything before it. Body, integers as unsigned LEB128:
/// - strings: count, then each as length and UTF-8 bytes (string id = position + 1);
/// - callers: count, then each as customer (string id ≥ 1), region, user (string ids, 0 for
///   nil), and one byte each for category, purpose, contract (caller id = position);
/// - lookup cells: count, then each as hour (zig-zag difference from the previous cell's hour,
///   the first from 0), context (`caller * 40 + (method code − 1) * 8 + profile code`; in
///   version 1 `caller * 20 + (method code − 1) * 4 + profile code`), one
///   byte variant (`(outcome − 1) * 18 + (age band − 1) * 3 + (sex − 1)`), count ≥ 1;
/// - session cells: count, then each as hour (zig-zag difference), customer (≥ 1), user (string
///   ids), count ≥ 1, summed microseconds.
/// Byte codes are `DiskCoded`'s frozen ones. A cell may appear more than once (its counts add
/// up), in any order.
///
/// Guarantees: decoding an encoding gives its counts back; decoding checks, in order, magic,
/// version, length, checksum, then every id, code and range, and throws rather than return
/// anything partial. Every single-byte change and every truncation is rejected.
enum StatsCodec {
    enum Kind {
        case counters, delta

        var magic: [UInt8] {
            switch self {
            case .counters: [0x89, 0x46, 0x42, 0x53, 0x43, 0x0D, 0x0A, 0x1A]
            case .delta: [0x89, 0x46, 0x42, 0x53, 0x44, 0x0D, 0x0A, 0x1A]
            }
        }
    }

    static let version: UInt16 = 2
    /// Versions `decode` reads.
    static let readableVersions: ClosedRange<UInt64> = 1...2
    static let headerSize = 18
    static let trailerSize = 4

    static func encode(_ batch: CountBatch, kind: Kind) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(64 + batch.lookups.count * 6 + batch.table.callers.count * 8)
        body.appendVarint(UInt64(batch.table.strings.count))
        for s in batch.table.strings { body.appendLengthPrefixed(s) }
        body.appendVarint(UInt64(batch.table.callers.count))
        for c in batch.table.callers {
            body.appendVarint(UInt64(c.customer))
            body.appendVarint(UInt64(c.region))
            body.appendVarint(UInt64(c.user))
            body += [c.category.diskCode, c.purpose.diskCode, c.contract.diskCode]
        }
        body.appendVarint(UInt64(batch.lookups.count))
        var previous: UInt32 = 0
        for c in batch.lookups {
            body.appendZigZag(Int64(c.hour) - Int64(previous))
            body.appendVarint(UInt64(CellCode.context(of: c.cell)))
            body.append(UInt8(CellCode.variant(of: c.cell)))
            body.appendVarint(c.count)
            previous = c.hour
        }
        body.appendVarint(UInt64(batch.sessions.count))
        previous = 0
        for c in batch.sessions {
            body.appendZigZag(Int64(c.key.hour) - Int64(previous))
            body.appendVarint(UInt64(c.key.customer))
            body.appendVarint(UInt64(c.key.user))
            body.appendVarint(c.totals.count)
            body.appendVarint(c.totals.micros)
            previous = c.key.hour
        }
        return seal(body, kind: kind)
    }

    /// Header, `body` and checksum.
    static func seal(_ body: [UInt8], kind: Kind) -> [UInt8] {
        var out = kind.magic
        out.reserveCapacity(headerSize + body.count + trailerSize)
        out.appendLE(UInt64(version), bytes: 2)
        out.appendLE(UInt64(body.count), bytes: 8)
        out += body
        out.appendLE(UInt64(CRC32C.checksum(out)), bytes: 4)
        return out
    }

    static func decode(_ bytes: [UInt8], kind: Kind) throws(CodecError) -> CountBatch {
        let magic = kind.magic
        guard bytes.prefix(magic.count).elementsEqual(magic.prefix(min(magic.count, bytes.count))) else {
            throw CodecError.statistics(.badMagic, field: "magic", offset: 0)
        }
        guard bytes.count >= headerSize + trailerSize else {
            throw CodecError.statistics(.truncated, field: "header", offset: bytes.count)
        }
        let version = bytes.loadLE(at: 8, bytes: 2)
        guard readableVersions.contains(version) else {
            throw CodecError.statistics(.unsupportedVersion, field: "version", offset: 8)
        }
        let declared = bytes.loadLE(at: 10, bytes: 8)
        let actual = UInt64(bytes.count - headerSize - trailerSize)
        guard declared <= actual else { throw CodecError.statistics(.truncated, field: "body length", offset: 10) }
        guard declared == actual else { throw CodecError.statistics(.trailingBytes, field: "body length", offset: 10) }
        let crcOffset = bytes.count - trailerSize
        let stored = UInt32(bytes.loadLE(at: crcOffset, bytes: 4))
        let computed = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[..<crcOffset])) }
        guard stored == computed else {
            throw CodecError.statistics(.checksumMismatch, field: "crc32c", offset: crcOffset)
        }
        return try bytes.withUnsafeBytes { raw in
            Result { () throws(CodecError) -> CountBatch in
                var r = ByteReader(raw.slice(0..<crcOffset), .statistics, at: headerSize)
                var batch = CountBatch(table: try decodeTable(&r))
                batch.lookups = try decodeLookups(&r, contexts: batch.table.contextCount, version1: version == 1)
                batch.sessions = try decodeSessions(&r, strings: batch.table.strings.count)
                guard r.isAtEnd else { throw r.error(.trailingBytes, "body", at: r.offset) }
                return batch
            }
        }.get()
    }

    private static func decodeTable(_ r: inout ByteReader) throws(CodecError) -> DimensionTable {
        var table = DimensionTable()
        let strings = try r.count("string count", minimumSize: 1)
        for i in 0..<strings {
            let start = r.offset
            let s = try r.lengthPrefixedString("string")
            guard table.intern(s) == UInt32(i + 1) else {
                throw CodecError.statistics(.duplicate, field: "string", offset: start)
            }
        }
        let callers = try r.count("caller count", minimumSize: 6)
        guard callers <= DimensionTable.maximumCallers else {
            throw CodecError.statistics(.invalidValue, field: "caller count", offset: r.offset)
        }
        for i in 0..<callers {
            let start = r.offset
            let customer = try r.index("caller.customer", below: strings + 1)
            guard customer != 0 else {
                throw CodecError.statistics(.invalidValue, field: "caller.customer", offset: start)
            }
            let c = Caller(
                customer: customer, region: try r.index("caller.region", below: strings + 1),
                user: try r.index("caller.user", below: strings + 1),
                category: try r.code("caller.category", CustomerCategory.self),
                purpose: try r.code("caller.purpose", Purpose.self),
                contract: try r.code("caller.contract", Contract.self))
            guard table.intern(c) == UInt32(i) else {
                throw CodecError.statistics(.duplicate, field: "caller", offset: start)
            }
        }
        return table
    }

    private static func decodeLookups(_ r: inout ByteReader, contexts: Int, version1: Bool) throws(CodecError)
        -> [LookupCell]
    {
        let n = try r.count("lookup count", minimumSize: 4)
        var cells: [LookupCell] = []
        cells.reserveCapacity(n)
        var hour: UInt32 = 0
        for _ in 0..<n {
            hour = try r.hour(after: hour, "lookup.hour")
            let contextOffset = r.offset
            var context = try r.index("lookup.context", below: version1 ? contexts / 2 : contexts)
            if version1 {
                guard let renumbered = CellCode.context(version1: UInt64(context)) else {
                    throw CodecError.statistics(.invalidValue, field: "lookup.context", offset: contextOffset)
                }
                context = renumbered
            } else {
                // Profile codes 6 and 7 name no profile.
                guard context % CellCode.profileSlots <= UInt32(Profile.P5.diskCode) else {
                    throw CodecError.statistics(.invalidValue, field: "lookup.context", offset: contextOffset)
                }
            }
            let variantOffset = r.offset
            let variant = Int(try r.u8("lookup.variant"))
            guard variant < LookupVariant.count, LookupVariant(index: variant).isPossible else {
                throw CodecError.statistics(.invalidValue, field: "lookup.variant", offset: variantOffset)
            }
            let countOffset = r.offset
            let count = try r.varint64("lookup.count")
            guard count > 0 else {
                throw CodecError.statistics(.invalidValue, field: "lookup.count", offset: countOffset)
            }
            cells.append(LookupCell(hour: hour, cell: CellCode.cell(context: context, variant: variant), count: count))
        }
        return cells
    }

    private static func decodeSessions(_ r: inout ByteReader, strings: Int) throws(CodecError) -> [SessionCell] {
        let n = try r.count("session count", minimumSize: 5)
        var cells: [SessionCell] = []
        cells.reserveCapacity(n)
        var hour: UInt32 = 0
        for _ in 0..<n {
            hour = try r.hour(after: hour, "session.hour")
            let start = r.offset
            let customer = try r.index("session.customer", below: strings + 1)
            guard customer != 0 else {
                throw CodecError.statistics(.invalidValue, field: "session.customer", offset: start)
            }
            let user = try r.index("session.user", below: strings + 1)
            let countOffset = r.offset
            let count = try r.varint64("session.count")
            guard count > 0 else {
                throw CodecError.statistics(.invalidValue, field: "session.count", offset: countOffset)
            }
            let micros = try r.varint64("session.micros")
            cells.append(
                SessionCell(
                    key: SessionKey(hour: hour, customer: customer, user: user),
                    totals: SessionTotals(count: count, micros: micros)))
        }
        return cells
    }
}
