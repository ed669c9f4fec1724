import FolkbokModel

/// A bounds-checked cursor over encoded bytes that decodes the primitives every folkbok binary
/// format shares: the record codec and snapshot sections, the access log, the statistics files.
///
/// Guarantees: never reads outside `bytes`; varints obey `format`'s limits; every failure is a
/// `CodecError` naming the format, the field and the offset where it started.
package struct ByteReader {
    package let bytes: UnsafeRawBufferPointer
    package let format: ByteFormat
    package private(set) var offset: Int

    /// A reader of `bytes` from `start` to their end.
    package init(_ bytes: UnsafeRawBufferPointer, _ format: ByteFormat, at start: Int = 0) {
        self.bytes = bytes
        self.format = format
        self.offset = start
    }

    package var isAtEnd: Bool { offset == bytes.count }

    /// Bytes left to read.
    package var remaining: Int { bytes.count - offset }

    /// The error `problem` in `field` at `offset`, in this reader's format.
    package func error(_ problem: CodecError.Problem, _ field: StaticString, at offset: Int) -> CodecError {
        CodecError(problem, field: "\(field)", offset: offset, in: format)
    }

    @inline(__always)
    private func need(_ n: Int, _ field: StaticString) throws(CodecError) {
        if n < 0 || bytes.count - offset < n { throw error(.truncated, field, at: offset) }
    }

    @inline(__always)
    package mutating func u8(_ field: StaticString) throws(CodecError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    package mutating func u32(_ field: StaticString) throws(CodecError) -> UInt32 {
        try need(4, field)
        defer { offset += 4 }
        return bytes.u32(at: offset)
    }

    @inline(__always)
    package mutating func u64(_ field: StaticString) throws(CodecError) -> UInt64 {
        try need(8, field)
        defer { offset += 8 }
        return bytes.u64(at: offset)
    }

    /// A little-endian integer of `count` bytes (1 to 8).
    package mutating func fixed(_ field: StaticString, _ count: Int) throws(CodecError) -> UInt64 {
        try need(count, field)
        defer { offset += count }
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return v
    }

    /// `count` raw bytes.
    package mutating func bytes(_ count: Int, _ field: StaticString) throws(CodecError) -> [UInt8] {
        try need(count, field)
        defer { offset += count }
        return Array(bytes.slice(offset..<offset + count))
    }

    /// A 0/1 byte.
    @inline(__always)
    package mutating func bool(_ field: StaticString) throws(CodecError) -> Bool {
        let start = offset
        switch try u8(field) {
        case 0: return false
        case 1: return true
        default: throw error(.invalidValue, field, at: start)
        }
    }

    /// Unsigned LEB128 of at most `format.varintBytes` bytes, at most `format.varintMaximum`.
    @inline(__always)
    package mutating func varint64(_ field: StaticString) throws(CodecError) -> UInt64 {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<format.varintBytes {
            let byte = try u8(field)
            let bits = UInt64(byte & 0x7F)
            if shift == 63 && bits > 1 { throw error(.invalidValue, field, at: start) }
            value |= bits << shift
            if byte & 0x80 == 0 {
                guard value <= format.varintMaximum else { throw error(.invalidValue, field, at: start) }
                return value
            }
            shift += 7
        }
        throw error(.invalidValue, field, at: start)
    }

    /// A varint that must also fit in `Int` (a count or a length).
    @inline(__always)
    package mutating func varint(_ field: StaticString) throws(CodecError) -> Int {
        let start = offset
        let value = try varint64(field)
        guard value <= UInt64(Int.max) else { throw error(.invalidValue, field, at: start) }
        return Int(value)
    }

    /// An optional string: varint(UTF-8 length + 1), 0 for nil, then the bytes.
    @inline(__always)
    package mutating func string(_ field: StaticString) throws(CodecError) -> String? {
        let start = offset
        let marker = try varint(field)
        if marker == 0 { return nil }
        return try utf8(length: marker - 1, field, start: start)
    }

    /// A string that must be present (varint(UTF-8 length + 1), then the bytes).
    @inline(__always)
    package mutating func requiredString(_ field: StaticString) throws(CodecError) -> String {
        let start = offset
        guard let s = try string(field) else { throw error(.invalidValue, field, at: start) }
        return s
    }

    /// A string that is always present: varint(UTF-8 length), then the bytes.
    package mutating func lengthPrefixedString(_ field: StaticString) throws(CodecError) -> String {
        let start = offset
        let length = try varint(field)
        guard length <= remaining else { throw error(.truncated, field, at: start) }
        return try utf8(length: length, field, start: start)
    }

    @inline(__always)
    private mutating func utf8(length: Int, _ field: StaticString, start: Int) throws(CodecError) -> String {
        try need(length, field)
        defer { offset += length }
        guard let s = Self.validString(bytes.slice(offset..<offset + length)) else {
            throw error(.invalidUTF8, field, at: start)
        }
        return s
    }

    /// The string the bytes spell, `nil` if they are not valid UTF-8 (`UTF8Check`).
    @inline(__always)
    package static func validString(_ raw: UnsafeRawBufferPointer) -> String? {
        guard UTF8Check.isASCII(raw) || UTF8Check.isValid(raw) else { return nil }
        return String(decoding: raw.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// A packed `YYYYMMDD` date, 0 for nil.
    @inline(__always)
    /// A packed `RegisterDate` (`YYYYMMDD`, `00` for unknown parts), 0 for none.
    package mutating func registerDate(_ field: StaticString) throws(CodecError) -> RegisterDate? {
        let start = offset
        let packed = try u32(field)
        if packed == 0 { return nil }
        guard let date = RegisterDate(packed: packed) else { throw error(.invalidValue, field, at: start) }
        return date
    }

    package mutating func date(_ field: StaticString) throws(CodecError) -> CivilDate? {
        let start = offset
        let packed = try u32(field)
        if packed == 0 { return nil }
        guard let date = CivilDate(packed: packed) else { throw error(.invalidValue, field, at: start) }
        return date
    }
}
