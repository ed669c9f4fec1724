import FolkbokModel

/// A bounds-checked cursor over encoded bytes that decodes the codec's primitives.
///
/// Guarantees: never reads outside `bytes`; every failure is a `CodecError` naming the field
/// and the offset where it started.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    @inline(__always)
    private func need(_ n: Int, _ field: StaticString) throws(CodecError) {
        if bytes.count - offset < n { throw CodecError(.truncated, field: "\(field)", offset: offset) }
    }

    @inline(__always)
    mutating func u8(_ field: StaticString) throws(CodecError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always)
    mutating func u32(_ field: StaticString) throws(CodecError) -> UInt32 {
        try need(4, field)
        defer { offset += 4 }
        return bytes.u32(at: offset)
    }

    @inline(__always)
    mutating func u64(_ field: StaticString) throws(CodecError) -> UInt64 {
        try need(8, field)
        defer { offset += 8 }
        return bytes.u64(at: offset)
    }

    /// A 0/1 byte.
    @inline(__always)
    mutating func bool(_ field: StaticString) throws(CodecError) -> Bool {
        let start = offset
        switch try u8(field) {
        case 0: return false
        case 1: return true
        default: throw CodecError(.invalidValue, field: "\(field)", offset: start)
        }
    }

    /// Unsigned LEB128, at most 9 bytes (values below 2⁶³).
    @inline(__always)
    mutating func varint(_ field: StaticString) throws(CodecError) -> Int {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8(field)
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if shift > 56 { throw CodecError(.invalidValue, field: "\(field)", offset: start) }
        }
        guard value <= UInt64(Int.max) else { throw CodecError(.invalidValue, field: "\(field)", offset: start) }
        return Int(value)
    }

    /// An optional string: varint(UTF-8 length + 1), 0 for nil, then the bytes.
    @inline(__always)
    mutating func string(_ field: StaticString) throws(CodecError) -> String? {
        let start = offset
        let marker = try varint(field)
        if marker == 0 { return nil }
        let length = marker - 1
        try need(length, field)
        defer { offset += length }
        guard let s = Self.validString(bytes.slice(offset..<offset + length)) else {
            throw CodecError(.invalidUTF8, field: "\(field)", offset: start)
        }
        return s
    }

    /// The string the bytes spell, `nil` if they are not valid UTF-8. ASCII (the common case)
    /// takes a fast path; otherwise the repairing decoder's output must equal the input.
    @inline(__always)
    static func validString(_ raw: UnsafeRawBufferPointer) -> String? {
        let units = raw.assumingMemoryBound(to: UInt8.self)
        let s = String(decoding: units, as: UTF8.self)
        if UTF8Check.isASCII(raw) { return s }
        return s.utf8.count == units.count && s.utf8.elementsEqual(units) ? s : nil
    }

    /// A string that must be present.
    @inline(__always)
    mutating func requiredString(_ field: StaticString) throws(CodecError) -> String {
        let start = offset
        guard let s = try string(field) else { throw CodecError(.invalidValue, field: "\(field)", offset: start) }
        return s
    }

    /// A packed `YYYYMMDD` date, 0 for nil.
    @inline(__always)
    mutating func date(_ field: StaticString) throws(CodecError) -> CivilDate? {
        let start = offset
        let packed = try u32(field)
        if packed == 0 { return nil }
        guard let date = CivilDate(packed: packed) else { throw CodecError(.invalidValue, field: "\(field)", offset: start) }
        return date
    }
}
