/// Well-formedness of UTF-8 bytes read back from disk (Unicode Table 3-7): snapshot images,
/// the record codec and the access log share it.
///
/// Guarantees: `isValid` is true exactly for well-formed UTF-8: no stray continuation bytes,
/// overlong forms, encoded surrogates, code points above U+10FFFF or truncated sequences.
public enum UTF8Check {
    /// True if every byte is below 0x80 (checked eight bytes at a time).
    public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        var bits: UInt64 = 0
        while i + 8 <= bytes.count {
            bits |= bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            bits |= UInt64(bytes[i])
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// True exactly for well-formed UTF-8 (ASCII runs byte by byte, other sequences by
    /// `sequenceEnd`).
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let end = bytes.count
        var i = 0
        while i < end {
            if base[i] < 0x80 {
                i += 1
                continue
            }
            guard let next = sequenceEnd(base, at: i, end: end) else { return false }
            i = next
        }
        return true
    }

    /// For a lead byte `p[i] >= 0x80`, the index just past its well-formed sequence (Unicode
    /// Table 3-7), or nil for a stray continuation byte, an overlong form, an encoded surrogate
    /// (U+D800–U+DFFF), a code point above U+10FFFF or a sequence cut by `end`. The one
    /// validator of multi-byte sequences: the JSON reader uses it too.
    @inlinable @inline(__always)
    public static func sequenceEnd(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int? {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch p[i] {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return nil
        }
        guard end - i >= length else { return nil }
        let second = p[i + 1]
        guard second >= low && second <= high else { return nil }
        var k = 2
        while k < length {
            guard p[i + k] & 0xC0 == 0x80 else { return nil }
            k += 1
        }
        return i + length
    }
}
