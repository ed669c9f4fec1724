/// UTF-8 encoding of scalars for the JSON reader (`\u` escapes). Validation of multi-byte
/// sequences is `FolkbokModel.UTF8Check.sequenceEnd`, shared with the storage formats.
///
/// Guarantees: `append(scalar:)` writes the shortest well-formed form of a scalar value.
enum UTF8Encoding {
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
