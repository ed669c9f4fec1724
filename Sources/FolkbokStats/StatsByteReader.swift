/// A bounds-checked cursor over the body of a statistics encoding.
///
/// Guarantees: never reads at or past `end`; every failure is a `StatsDecodeError` naming the
/// field and the offset where it started.
struct StatsByteReader {
    private let bytes: [UInt8]
    private let end: Int
    private(set) var offset: Int

    init(_ bytes: [UInt8], from start: Int, to end: Int) {
        self.bytes = bytes
        self.offset = start
        self.end = end
    }

    var isAtEnd: Bool { offset == end }

    mutating func u8(_ field: String) throws(StatsDecodeError) -> UInt8 {
        guard offset < end else { throw StatsDecodeError(.truncated, field: field, offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Unsigned LEB128 of at most ten bytes that fits in 64 bits.
    mutating func varint(_ field: String) throws(StatsDecodeError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8(field)
            if shift == 63 && byte > 1 { throw StatsDecodeError(.outOfRange, field: field, offset: start) }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
            if shift > 63 { throw StatsDecodeError(.outOfRange, field: field, offset: start) }
        }
    }

    /// A varint that must be below `limit`.
    mutating func index(_ field: String, below limit: Int) throws(StatsDecodeError) -> UInt32 {
        let start = offset
        let v = try varint(field)
        guard v < UInt64(limit), v <= UInt64(UInt32.max) else { throw StatsDecodeError(.outOfRange, field: field, offset: start) }
        return UInt32(v)
    }

    /// An hour written as the zig-zag difference from `previous`; must be a valid `StatsHour`.
    mutating func hour(after previous: UInt32, _ field: String) throws(StatsDecodeError) -> UInt32 {
        let start = offset
        let z = try varint(field)
        let delta = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
        let (hour, overflow) = Int64(previous).addingReportingOverflow(delta)
        guard !overflow, (0...Int64(StatsHour.last)).contains(hour) else { throw StatsDecodeError(.outOfRange, field: field, offset: start) }
        return UInt32(hour)
    }

    /// A count of items that follow, each at least `minimumSize` bytes (so a corrupt count
    /// cannot make the decoder reserve more than the bytes could hold).
    mutating func count(_ field: String, minimumSize: Int) throws(StatsDecodeError) -> Int {
        let start = offset
        let v = try varint(field)
        guard v <= UInt64((end - offset) / minimumSize) else { throw StatsDecodeError(.truncated, field: field, offset: start) }
        return Int(v)
    }

    /// A UTF-8 string: varint length, then the bytes.
    mutating func string(_ field: String) throws(StatsDecodeError) -> String {
        let start = offset
        let length = try varint(field)
        guard length <= UInt64(end - offset) else { throw StatsDecodeError(.truncated, field: field, offset: start) }
        let slice = bytes[offset..<offset + Int(length)]
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw StatsDecodeError(.invalidUTF8, field: field, offset: start)
        }
        offset += Int(length)
        return s
    }

    /// A one-byte code of a `DiskCoded` enum.
    mutating func code<E: DiskCoded>(_ field: String, _ type: E.Type) throws(StatsDecodeError) -> E {
        let start = offset
        guard let e = E(diskCode: try u8(field)) else { throw StatsDecodeError(.outOfRange, field: field, offset: start) }
        return e
    }
}
