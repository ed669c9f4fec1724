/// Well-formedness check for one multi-byte UTF-8 sequence (Unicode Table 3-7).
///
/// Guarantees: rejects stray continuation bytes, overlong forms, UTF-8-encoded surrogates
/// (U+D800–U+DFFF), code points above U+10FFFF and truncated sequences.
enum UTF8Validation {
    /// For a lead byte `p[i] >= 0x80`, the index just past its well-formed sequence, or nil.
    @inline(__always)
    static func sequenceEnd(_ p: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int? {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch p[i] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
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

    /// Appends the UTF-8 encoding of a Unicode scalar value (not a surrogate, ≤ U+10FFFF).
    @inline(__always)
    static func append(scalar v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18)))
            out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
