import FolkbokModel

/// Little-endian and length-prefixed primitives of the audit file formats.
///
/// Guarantees: every integer little-endian; a string is `varint(UTF-8 length + 1)` then its
/// bytes, with the single byte 0 meaning nil.
extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendVarint(_ value: Int) {
        var v = UInt(value)
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    mutating func appendString(_ s: String?) {
        guard let s else { return append(0) }
        appendVarint(s.utf8.count + 1)
        append(contentsOf: s.utf8)
    }
}

/// A bounds-checked cursor over audit bytes.
///
/// Guarantees: never reads outside `bytes`; a failure throws `AuditDecodeError` naming only
/// the field and the offset.
struct AuditByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    private func need(_ n: Int, _ field: String) throws(AuditDecodeError) {
        if n < 0 || bytes.count - offset < n { throw AuditDecodeError(field: field, offset: offset) }
    }

    mutating func u8(_ field: String) throws(AuditDecodeError) -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func le<T: FixedWidthInteger>(_ type: T.Type, _ field: String) throws(AuditDecodeError) -> T {
        try need(MemoryLayout<T>.size, field)
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func varint(_ field: String) throws(AuditDecodeError) -> Int {
        let start = offset
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8(field)
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
            if shift > 56 { throw AuditDecodeError(field: field, offset: start) }
        }
        guard value <= UInt64(Int32.max) else { throw AuditDecodeError(field: field, offset: start) }
        return Int(value)
    }

    mutating func string(_ field: String) throws(AuditDecodeError) -> String? {
        let start = offset
        let marker = try varint(field)
        if marker == 0 { return nil }
        try need(marker - 1, field)
        let raw = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + marker - 1])
        offset += marker - 1
        guard UTF8Check.isValid(raw) else { throw AuditDecodeError(field: field, offset: start) }
        return String(decoding: raw.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    mutating func requiredString(_ field: String) throws(AuditDecodeError) -> String {
        let start = offset
        guard let s = try string(field) else { throw AuditDecodeError(field: field, offset: start) }
        return s
    }

    mutating func bytes(_ count: Int, _ field: String) throws(AuditDecodeError) -> [UInt8] {
        try need(count, field)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }
}
