/// Little-endian and LEB128 appends onto a byte array: the one writer of every folkbok binary
/// format (record codec, snapshots, write-ahead log, access log, statistics), the inverse of
/// `ByteReader`.
///
/// Guarantees: every integer little-endian; a varint is unsigned LEB128, low group first.
extension Array where Element == UInt8 {
    @inline(__always)
    package mutating func appendLE(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inline(__always)
    package mutating func appendLE(_ v: UInt32) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func appendLE(_ v: UInt64) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    package mutating func appendLE(_ v: Int64) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    /// The low `bytes` bytes of `value`, little-endian.
    package mutating func appendLE(_ value: UInt64, bytes: Int) {
        for i in 0..<bytes { append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    /// Unsigned LEB128: seven bits per byte, low group first, high bit set on all but the last.
    @inline(__always)
    package mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    /// A non-negative `Int` as unsigned LEB128.
    @inline(__always)
    package mutating func appendVarint(_ value: Int) {
        appendVarint(UInt64(UInt(value)))
    }

    /// A signed value as unsigned LEB128 of its zig-zag form (0, −1, 1, −2 … → 0, 1, 2, 3 …).
    package mutating func appendZigZag(_ value: Int64) {
        appendVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// An optional string: varint(UTF-8 length + 1), 0 for nil, then the UTF-8 bytes
    /// (`ByteReader.string`).
    @inline(__always)
    package mutating func appendString(_ s: String?) {
        guard let s else {
            append(0)
            return
        }
        appendVarint(s.utf8.count + 1)
        appendUTF8(s)
    }

    /// A string always present: varint(UTF-8 length), then the UTF-8 bytes
    /// (`ByteReader.lengthPrefixedString`).
    package mutating func appendLengthPrefixed(_ s: String) {
        appendVarint(s.utf8.count)
        appendUTF8(s)
    }

    /// `s`'s UTF-8 bytes, copied at once from the string's storage (appending the `utf8` view
    /// goes through its generic copy, several times slower for short strings).
    @inline(__always)
    private mutating func appendUTF8(_ s: String) {
        let copied: Void? = s.utf8.withContiguousStorageIfAvailable { append(contentsOf: $0) }
        if copied == nil { append(contentsOf: s.utf8) }
    }

    /// The little-endian integer of `bytes` bytes at `offset` (the caller checks bounds).
    package func loadLE(at offset: Int, bytes: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<bytes { v |= UInt64(self[offset + i]) << (8 * UInt64(i)) }
        return v
    }

    /// Overwrites four bytes at `index` with `v`, little-endian.
    @inline(__always)
    package mutating func storeLE(_ v: UInt32, at index: Int) {
        self[index] = UInt8(truncatingIfNeeded: v)
        self[index + 1] = UInt8(truncatingIfNeeded: v >> 8)
        self[index + 2] = UInt8(truncatingIfNeeded: v >> 16)
        self[index + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian `UInt32` at `offset` (no alignment needed; caller checks bounds).
    @inline(__always)
    package func u32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The little-endian `UInt64` at `offset` (no alignment needed; caller checks bounds).
    @inline(__always)
    package func u64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The bytes `range` of this buffer as a buffer of their own.
    @inline(__always)
    package func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[range])
    }
}
