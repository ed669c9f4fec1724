import FolkbokStorage

/// The statistics formats' own fields on top of the shared `ByteReader` (read with
/// `ByteFormat.statistics`).
///
/// Guarantees: as `ByteReader`: never reads past the end; every failure is a `CodecError`
/// naming the field and the offset where it started.
extension ByteReader {
    /// A varint that must be below `limit`.
    mutating func index(_ field: StaticString, below limit: Int) throws(CodecError) -> UInt32 {
        let start = offset
        let v = try varint64(field)
        guard v < UInt64(limit), v <= UInt64(UInt32.max) else { throw error(.invalidValue, field, at: start) }
        return UInt32(v)
    }

    /// An hour written as the zig-zag difference from `previous`; must be a valid `StatsHour`.
    mutating func hour(after previous: UInt32, _ field: StaticString) throws(CodecError) -> UInt32 {
        let start = offset
        let z = try varint64(field)
        let delta = Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1)
        let (hour, overflow) = Int64(previous).addingReportingOverflow(delta)
        guard !overflow, (0...Int64(StatsHour.last)).contains(hour) else {
            throw error(.invalidValue, field, at: start)
        }
        return UInt32(hour)
    }

    /// A count of items that follow, each at least `minimumSize` bytes (so a corrupt count
    /// cannot make the decoder reserve more than the bytes could hold).
    mutating func count(_ field: StaticString, minimumSize: Int) throws(CodecError) -> Int {
        let start = offset
        let v = try varint64(field)
        guard v <= UInt64(remaining / minimumSize) else { throw error(.truncated, field, at: start) }
        return Int(v)
    }

    /// A one-byte code of a `DiskCoded` enum.
    mutating func code<E: DiskCoded>(_ field: StaticString, _ type: E.Type) throws(CodecError) -> E {
        let start = offset
        guard let e = E(diskCode: try u8(field)) else { throw error(.invalidValue, field, at: start) }
        return e
    }
}

extension CodecError {
    /// A statistics-format error found outside a reader (header, checksum, table checks).
    static func statistics(_ problem: Problem, field: String, offset: Int) -> CodecError {
        CodecError(problem, field: field, offset: offset, in: .statistics)
    }
}
