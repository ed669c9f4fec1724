import FolkbokStorage

/// One statistics export: whose, which kind, how many rows, when made and when it expires,
/// and the size and CRC32C of its rows file.
///
/// Stored as `<id>.export`, format version 1: magic (8 bytes `0x89 'F' 'B' 'E' 'X' '\r' '\n'
/// 0x1A`), version u16 LE, body length u32 LE, body, CRC32C u32 LE of everything before it.
/// Body: id, customer (varint length + UTF-8), kind u8 (1 aggregated, 2 pseudonymised,
/// 3 identified), rows, rows-file bytes (varints), created, expiresAt (u64 LE microseconds since
/// the epoch), rows-file CRC32C u32 LE, expired u8 (1 once the rows were deleted at expiry).
public struct StatsExport: Sendable, Equatable {
    public let id: String
    public let customer: String
    public let kind: StatsExportKind
    public let rows: Int
    public let bytes: UInt64
    /// Microseconds since the epoch.
    public let created: Int64
    public let expiresAt: Int64
    let crc: UInt32
    /// The rows were deleted at expiry; only this record remains, so `stats.fetch` can say so.
    public internal(set) var expired: Bool

    static let magic: [UInt8] = [0x89, 0x46, 0x42, 0x45, 0x58, 0x0D, 0x0A, 0x1A]
    static let version: UInt64 = 1

    func encoded() -> [UInt8] {
        var body: [UInt8] = []
        body.appendLengthPrefixed(id)
        body.appendLengthPrefixed(customer)
        body.append(kind.code)
        body.appendVarint(UInt64(rows))
        body.appendVarint(bytes)
        body.appendLE(UInt64(bitPattern: created), bytes: 8)
        body.appendLE(UInt64(bitPattern: expiresAt), bytes: 8)
        body.appendLE(UInt64(crc), bytes: 4)
        body.append(expired ? 1 : 0)
        var out = Self.magic
        out.appendLE(Self.version, bytes: 2)
        out.appendLE(UInt64(body.count), bytes: 4)
        out += body
        out.appendLE(UInt64(CRC32C.checksum(out)), bytes: 4)
        return out
    }

    init(
        id: String, customer: String, kind: StatsExportKind, rows: Int, bytes: UInt64, created: Int64, expiresAt: Int64,
        crc: UInt32, expired: Bool = false
    ) {
        self.id = id
        self.customer = customer
        self.kind = kind
        self.rows = rows
        self.bytes = bytes
        self.created = created
        self.expiresAt = expiresAt
        self.crc = crc
        self.expired = expired
    }

    init(decoding data: [UInt8]) throws(CodecError) {
        guard data.count >= 18 else { throw CodecError.statistics(.truncated, field: "header", offset: data.count) }
        guard data.prefix(8).elementsEqual(Self.magic) else {
            throw CodecError.statistics(.badMagic, field: "magic", offset: 0)
        }
        guard data.loadLE(at: 8, bytes: 2) == Self.version else {
            throw CodecError.statistics(.unsupportedVersion, field: "version", offset: 8)
        }
        guard data.loadLE(at: 10, bytes: 4) == UInt64(data.count - 18) else {
            throw CodecError.statistics(.truncated, field: "length", offset: 10)
        }
        guard UInt64(CRC32C.checksum(Array(data[..<(data.count - 4)]))) == data.loadLE(at: data.count - 4, bytes: 4)
        else {
            throw CodecError.statistics(.checksumMismatch, field: "checksum", offset: data.count - 4)
        }
        self = try data.withUnsafeBytes { raw in
            Result { () throws(CodecError) -> StatsExport in
                var r = ByteReader(raw.slice(0..<(data.count - 4)), .statistics, at: 14)
                let id = try r.lengthPrefixedString("id")
                let customer = try r.lengthPrefixedString("customer")
                let at = r.offset
                guard let kind = StatsExportKind(code: try r.u8("kind")) else {
                    throw r.error(.invalidValue, "kind", at: at)
                }
                let decoded = StatsExport(
                    id: id, customer: customer, kind: kind, rows: try r.varint("rows"), bytes: try r.varint64("bytes"),
                    created: Int64(bitPattern: try r.fixed("created", 8)),
                    expiresAt: Int64(bitPattern: try r.fixed("expiresAt", 8)),
                    crc: UInt32(try r.fixed("crc", 4)), expired: try r.u8("expired") == 1)
                guard r.isAtEnd else { throw r.error(.trailingBytes, "end", at: r.offset) }
                return decoded
            }
        }.get()
    }
}

extension StatsExportKind {
    var code: UInt8 {
        switch self {
        case .aggregated: 1
        case .pseudonymised: 2
        case .identified: 3
        }
    }

    init?(code: UInt8) {
        guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = kind
    }
}
