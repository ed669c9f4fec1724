/// Byte-level character rules of XML 1.0 as the reader applies them.
///
/// Names: ASCII letters, `_` and `:` start a name, digits, `-` and `.` may follow; any non-ASCII
/// character is accepted in a name (the document is valid UTF-8 by then), a simplification of
/// the XML name ranges that never accepts markup characters.
enum XMLCharacters {
    // ASCII name characters as bitmaps over 0–63 and 64–127: a name starts with `:` (58), `A`–`Z`,
    // `_` or `a`–`z` (0x0400_0000_0000_0000, 0x07FF_FFFE_87FF_FFFE) and goes on with those and
    // `-` (45), `.` (46), `0`–`9` (48–57) (0x07FF_6000_0000_0000 below 64).

    @inline(__always)
    static func isNameStart(_ b: UInt8) -> Bool {
        if b >= 0x80 { return true }
        if b >= 64 { return (UInt64(0x07FF_FFFE_87FF_FFFE) >> UInt64(b - 64)) & 1 != 0 }
        return (UInt64(0x0400_0000_0000_0000) >> UInt64(b)) & 1 != 0
    }

    @inline(__always)
    static func isNameChar(_ b: UInt8) -> Bool {
        if b >= 0x80 { return true }
        if b >= 64 { return (UInt64(0x07FF_FFFE_87FF_FFFE) >> UInt64(b - 64)) & 1 != 0 }
        return (UInt64(0x07FF_6000_0000_0000) >> UInt64(b)) & 1 != 0
    }

    /// Whether the eight bytes at `p` are all ASCII letters (`A`–`Z`, `a`–`z`), each of which
    /// `isNameChar` accepts: a word at a time, as the name loops' fast step.
    @inline(__always)
    static func areEightLetters(_ p: UnsafePointer<UInt8>) -> Bool {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        let high: UInt64 = 0x8080_8080_8080_8080
        // Setting bit 5 maps `A`–`Z` onto `a`–`z` and nothing else into 0x61...0x7A; with every
        // byte below 0x80 the additions carry into no neighbouring byte.
        let lower = w | 0x2020_2020_2020_2020
        let atLeastA = lower &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit: byte >= 0x61
        let pastZ = lower &+ 0x0505_0505_0505_0505  // high bit: byte >= 0x7B
        return w & high == 0 && atLeastA & ~pastZ & high == high
    }

    /// Whether any of the eight bytes at `p` is `<`, `&`, CR or `]` (the bytes character data
    /// stops at): a word at a time, as the text loop's fast step.
    @inline(__always)
    static func hasTextMarkup(_ p: UnsafePointer<UInt8>) -> Bool {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        return hasZeroByte(w ^ 0x3C3C_3C3C_3C3C_3C3C) || hasZeroByte(w ^ 0x2626_2626_2626_2626)
            || hasZeroByte(w ^ 0x0D0D_0D0D_0D0D_0D0D) || hasZeroByte(w ^ 0x5D5D_5D5D_5D5D_5D5D)
    }

    /// Whether some byte of `w` is zero (exact for the word as a whole).
    @inline(__always)
    static func hasZeroByte(_ w: UInt64) -> Bool {
        (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080 != 0
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    /// A character reference's value that XML's `Char` production allows.
    static func isAllowedScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x0A, 0x0D: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    enum Check {
        /// Everything in the range is fine (`end` is where complete characters end: a
        /// character cut by the range's end is left for the next call unless `atEnd`).
        case valid(end: Int, lineFeeds: Int)
        /// The first bad character; `lineFeeds` counts those before it.
        case invalid(at: Int, XMLError.Reason, lineFeeds: Int)
    }

    /// Checks `p[from..<to]`: well-formed UTF-8 (no overlong forms, surrogates or values past
    /// U+10FFFF) holding only characters XML allows (no controls but tab, line feed and carriage
    /// return; no U+FFFE or U+FFFF). A sequence cut by `to` is `truncated`, and only when `atEnd`.
    /// Counts the line feeds on the way, so the reader knows its lines without a pass of its own.
    static func check(_ p: UnsafePointer<UInt8>, from: Int, to: Int, atEnd: Bool) -> Check {
        var i = from
        var lineFeeds = 0
        while i < to {
            if i + 8 <= to {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let high: UInt64 = 0x8080_8080_8080_8080
                if w & high == 0, (w &- 0x2020_2020_2020_2020) & ~w & high == 0 {
                    i += 8
                    continue
                }
            }
            let lead = p[i]
            if lead < 0x80 {
                if lead < 0x20 {
                    if lead == 0x0A {
                        lineFeeds += 1
                    } else if lead != 0x09, lead != 0x0D {
                        return .invalid(at: i, .forbiddenCharacter, lineFeeds: lineFeeds)
                    }
                }
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
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
            default: return .invalid(at: i, .invalidUTF8, lineFeeds: lineFeeds)
            }
            let available = to - i
            // Check what is there; a sequence cut short waits for more bytes.
            if available >= 2 && (p[i + 1] < low || p[i + 1] > high) {
                return .invalid(at: i, .invalidUTF8, lineFeeds: lineFeeds)
            }
            var k = 2
            while k < min(length, available) {
                if p[i + k] & 0xC0 != 0x80 { return .invalid(at: i, .invalidUTF8, lineFeeds: lineFeeds) }
                k += 1
            }
            if available < length {
                return atEnd ? .invalid(at: i, .truncated, lineFeeds: lineFeeds) : .valid(end: i, lineFeeds: lineFeeds)
            }
            if lead == 0xEF, p[i + 1] == 0xBF, p[i + 2] >= 0xBE {
                return .invalid(at: i, .forbiddenCharacter, lineFeeds: lineFeeds)
            }
            i += length
        }
        return .valid(end: to, lineFeeds: lineFeeds)
    }

    /// Number of line feeds in `p[from..<to]`.
    static func countLineFeeds(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var n = 0
        var i = from
        let ones: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= to {
            let t = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let zeros = ~(((t & ones) &+ ones) | t | ones)
            n += zeros.nonzeroBitCount
            i += 8
        }
        while i < to {
            if p[i] == 0x0A { n += 1 }
            i += 1
        }
        return n
    }

    /// Writes ISO-8859-1 bytes as UTF-8 into `out` (room for twice `n`); answers the bytes written.
    static func latin1ToUTF8(_ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        for i in 0..<n {
            let b = p[i]
            if b < 0x80 {
                out[o] = b
                o += 1
            } else {
                out[o] = 0xC0 | (b >> 6)
                out[o + 1] = 0x80 | (b & 0x3F)
                o += 2
            }
        }
        return o
    }
}
