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

    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let end = bytes.count
        while i < end {
            let lead = bytes[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return false
            }
            guard end - i >= length, bytes[i + 1] >= low, bytes[i + 1] <= high else { return false }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }
}
