import FolkbokModel

/// Writes an image front to back into memory sized in advance, every integer little-endian.
///
/// Guarantees: never writes outside `bytes` (each write is bounds-checked with a precondition:
/// writing more than was sized is a programmer error).
struct ImageWriter {
    let bytes: UnsafeMutableRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeMutableRawBufferPointer) { self.bytes = bytes }

    @inline(__always)
    mutating func reserve(_ n: Int) -> UnsafeMutableRawPointer {
        precondition(bytes.count - offset >= n, "store image larger than its computed size")
        defer { offset += n }
        return bytes.baseAddress! + offset
    }

    @inline(__always) mutating func u8(_ v: UInt8) { reserve(1).storeBytes(of: v, as: UInt8.self) }
    @inline(__always) mutating func u32(_ v: UInt32) { reserve(4).storeBytes(of: v.littleEndian, as: UInt32.self) }
    @inline(__always) mutating func u64(_ v: UInt64) { reserve(8).storeBytes(of: v.littleEndian, as: UInt64.self) }

    mutating func raw(_ source: UnsafeRawBufferPointer) {
        guard !source.isEmpty else { return }
        reserve(source.count).copyMemory(from: source.baseAddress!, byteCount: source.count)
    }

    /// An optional string: `u32` (UTF-8 length + 1), 0 for nil, then the bytes.
    mutating func string(_ s: String?) {
        guard var s else { return u32(0) }
        s.withUTF8 { utf8 in
            u32(UInt32(utf8.count + 1))
            raw(UnsafeRawBufferPointer(utf8))
        }
    }

    mutating func string(utf8: UnsafeRawBufferPointer?) {
        guard let utf8 else { return u32(0) }
        u32(UInt32(utf8.count + 1))
        raw(utf8)
    }

    /// Bytes `string(s)` writes.
    static func size(_ s: String?) -> Int { 4 + (s?.utf8.count ?? 0) }
}

/// A bounds-checked cursor over an image being loaded.
///
/// Guarantees: never reads outside `bytes`; every failure is a `StoreImageError` naming the
/// offset of the field that failed.
struct ImageReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    func fail(_ problem: String, at: Int? = nil) -> StoreImageError {
        StoreImageError(offset: at ?? offset, problem: problem)
    }

    /// The next `n` bytes, or a "truncated" error naming `what`.
    @inline(__always)
    mutating func take(_ n: Int, _ what: String) throws(StoreImageError) -> UnsafeRawBufferPointer {
        guard n >= 0, remaining >= n else { throw fail("\(what) runs past the end of the image") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
    }

    @inline(__always)
    mutating func u8(_ what: String) throws(StoreImageError) -> UInt8 { try take(1, what)[0] }

    @inline(__always)
    mutating func u32(_ what: String) throws(StoreImageError) -> UInt32 {
        UInt32(littleEndian: try take(4, what).loadUnaligned(as: UInt32.self))
    }

    @inline(__always)
    mutating func u64(_ what: String) throws(StoreImageError) -> UInt64 {
        UInt64(littleEndian: try take(8, what).loadUnaligned(as: UInt64.self))
    }

    /// A count of items of at least `minimumSize` bytes each that must fit in what remains.
    mutating func count(_ what: String, minimumSize: Int) throws(StoreImageError) -> Int {
        let at = offset
        let n = Int(try u32(what))
        guard n <= remaining / max(1, minimumSize) else { throw fail("\(what) larger than the image", at: at) }
        return n
    }

    /// An optional string written by `ImageWriter.string`; must be valid UTF-8.
    mutating func string(_ what: String) throws(StoreImageError) -> String? {
        try stringBytes(what).map { String(decoding: $0.assumingMemoryBound(to: UInt8.self), as: UTF8.self) }
    }

    /// As `string`, handing out the checked UTF-8 bytes (valid until the image goes).
    mutating func stringBytes(_ what: String) throws(StoreImageError) -> UnsafeRawBufferPointer? {
        let at = offset
        let marker = Int(try u32(what))
        if marker == 0 { return nil }
        let utf8 = try take(marker - 1, what)
        guard UTF8Check.isValid(utf8) else { throw fail("\(what) is not valid UTF-8", at: at) }
        return utf8
    }

    mutating func requiredStringBytes(_ what: String) throws(StoreImageError) -> UnsafeRawBufferPointer {
        let at = offset
        guard let s = try stringBytes(what) else { throw fail("\(what) missing", at: at) }
        return s
    }

    mutating func requiredString(_ what: String) throws(StoreImageError) -> String {
        let at = offset
        guard let s = try string(what) else { throw fail("\(what) missing", at: at) }
        return s
    }
}
