/// Little-endian appends onto a byte array, the only way the storage formats write integers.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendLE(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inline(__always)
    mutating func appendLE(_ v: UInt32) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendLE(_ v: UInt64) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    /// Unsigned LEB128: seven bits per byte, low group first, high bit set on all but the last.
    @inline(__always)
    mutating func appendVarint(_ value: Int) {
        var v = UInt(value)
        while v >= 0x80 {
            append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        append(UInt8(v))
    }

    /// Overwrites four bytes at `index` with `v`, little-endian.
    @inline(__always)
    mutating func storeLE(_ v: UInt32, at index: Int) {
        self[index] = UInt8(truncatingIfNeeded: v)
        self[index + 1] = UInt8(truncatingIfNeeded: v >> 8)
        self[index + 2] = UInt8(truncatingIfNeeded: v >> 16)
        self[index + 3] = UInt8(truncatingIfNeeded: v >> 24)
    }
}

extension UnsafeRawBufferPointer {
    /// The little-endian `UInt32` at `offset` (no alignment needed; caller checks bounds).
    @inline(__always)
    func u32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    /// The little-endian `UInt64` at `offset` (no alignment needed; caller checks bounds).
    @inline(__always)
    func u64(at offset: Int) -> UInt64 {
        UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The bytes `range` of this buffer as a buffer of their own.
    @inline(__always)
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[range])
    }
}
