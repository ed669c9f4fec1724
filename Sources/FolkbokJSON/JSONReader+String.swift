import FolkbokModel

/// String literals: UTF-8 validation, escape decoding and surrogate-pair handling.
///
/// Guarantees: the returned `String` holds exactly the decoded content; unescaped bytes
/// below 0x20, invalid UTF-8, unknown escapes and unpaired `\u` surrogates are rejected.
/// A string without escapes is decoded straight from the input slice with no copy buffer.
extension JSONReader {
    /// Parses a string whose opening quote is at `pos`.
    mutating func parseString() throws(JSONParseError) -> String {
        let start = pos + 1
        var i = start
        while i < count {
            i = PlainRun.end(of: base, from: i, to: count)
            guard i < count else { break }
            let b = base[i]
            if b == 0x22 {
                pos = i + 1
                return String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
            }
            if b == 0x5C { return try parseEscapedString(start: start, escapeAt: i) }
            if b < 0x20 { throw failure("unescaped control character in string", at: i) }
            if b < 0x80 {
                i += 1
            } else {
                guard let next = UTF8Check.sequenceEnd(base, at: i, end: count) else {
                    throw failure("invalid UTF-8", at: i)
                }
                i = next
            }
        }
        throw failure("unterminated string", at: count)
    }

    /// Slow path: copies the clean prefix, then decodes escapes into a byte buffer.
    private mutating func parseEscapedString(start: Int, escapeAt first: Int) throws(JSONParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(first - start + 32)
        out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: first - start))
        var i = first
        while i < count {
            let b = base[i]
            if b == 0x22 {
                pos = i + 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == 0x5C {
                i = try decodeEscape(at: i, into: &out)
            } else if b < 0x20 {
                throw failure("unescaped control character in string", at: i)
            } else if b < 0x80 {
                out.append(b)
                i += 1
            } else {
                guard let next = UTF8Check.sequenceEnd(base, at: i, end: count) else {
                    throw failure("invalid UTF-8", at: i)
                }
                out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: next - i))
                i = next
            }
        }
        throw failure("unterminated string", at: count)
    }

    /// Decodes the escape whose backslash is at `i`; returns the index after it.
    private func decodeEscape(at i: Int, into out: inout [UInt8]) throws(JSONParseError) -> Int {
        guard i + 1 < count else { throw failure("unterminated string", at: count) }
        switch base[i + 1] {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x2F: out.append(0x2F)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x6E: out.append(0x0A)
        case 0x72: out.append(0x0D)
        case 0x74: out.append(0x09)
        case 0x75: return try decodeUnicodeEscape(at: i, into: &out)
        default: throw failure("invalid escape", at: i + 1)
        }
        return i + 2
    }

    /// `\uXXXX`, or a `\uD8xx\uDCxx` surrogate pair; lone surrogates are rejected.
    private func decodeUnicodeEscape(at i: Int, into out: inout [UInt8]) throws(JSONParseError) -> Int {
        let unit = try hex4(at: i + 2)
        switch unit {
        case 0xD800...0xDBFF:
            guard i + 7 < count, base[i + 6] == 0x5C, base[i + 7] == 0x75 else {
                throw failure("unpaired surrogate escape", at: i)
            }
            let low = try hex4(at: i + 8)
            guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate escape", at: i) }
            let scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            UTF8Encoding.append(scalar: scalar, to: &out)
            return i + 12
        case 0xDC00...0xDFFF:
            throw failure("unpaired surrogate escape", at: i)
        default:
            UTF8Encoding.append(scalar: unit, to: &out)
            return i + 6
        }
    }

    private func hex4(at start: Int) throws(JSONParseError) -> UInt32 {
        guard start + 4 <= count else { throw failure("unterminated string", at: count) }
        var v: UInt32 = 0
        for k in start..<(start + 4) {
            let b = base[k]
            let d: UInt8
            switch b {
            case 0x30...0x39: d = b &- 0x30
            case 0x41...0x46: d = b &- 0x37
            case 0x61...0x66: d = b &- 0x57
            default: throw failure("invalid unicode escape", at: k)
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
