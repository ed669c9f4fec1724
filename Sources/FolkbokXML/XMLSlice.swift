import Glibc

/// A name, attribute value or text of the current event: valid UTF-8 with references resolved,
/// viewed in the reader's own memory.
///
/// Guarantees: valid only until the reader's next `next()` call (it points into the reader's
/// buffers, which the next call reuses); copy it out with `string` to keep it.
public struct XMLSlice {
    public let bytes: UnsafeRawBufferPointer

    init(_ base: UnsafePointer<UInt8>, _ count: Int) {
        bytes = UnsafeRawBufferPointer(start: base, count: count)
    }

    public var count: Int { bytes.count }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// True if the bytes equal the literal's UTF-8.
    public func equals(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard n == bytes.count else { return false }
        return n == 0 || memcmp(bytes.baseAddress!, literal.utf8Start, n) == 0
    }

    /// True if every byte is XML white space (space, tab, line feed, carriage return).
    public var isWhitespace: Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }
    }
}

/// A growable byte array in memory the reader owns (names of open elements, decoded text).
struct ByteStorage: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var next = capacity * 2
        while next < count + extra { next *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: next)
        fresh.update(from: base, count: count)
        base.deallocate()
        base = fresh
        capacity = next
    }

    mutating func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    mutating func append(_ from: UnsafePointer<UInt8>, _ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(from: from, count: n)
        count += n
    }

    /// Appends a Unicode scalar value (already checked to be one) as UTF-8.
    mutating func appendScalar(_ v: UInt32) {
        reserve(4)
        if v < 0x80 {
            base[count] = UInt8(v)
            count += 1
        } else if v < 0x800 {
            base[count] = UInt8(0xC0 | (v >> 6))
            base[count + 1] = UInt8(0x80 | (v & 0x3F))
            count += 2
        } else if v < 0x10000 {
            base[count] = UInt8(0xE0 | (v >> 12))
            base[count + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
            base[count + 2] = UInt8(0x80 | (v & 0x3F))
            count += 3
        } else {
            base[count] = UInt8(0xF0 | (v >> 18))
            base[count + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
            base[count + 2] = UInt8(0x80 | ((v >> 6) & 0x3F))
            base[count + 3] = UInt8(0x80 | (v & 0x3F))
            count += 4
        }
    }
}
