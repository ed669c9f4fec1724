/// Writes JSON text into a window of bytes reserved in a `JSONWriter` (`withWindow`), with no
/// per-write capacity growth, uniqueness check or call into the array: what a hot encoder
/// (a person record) uses once it knows an upper bound of its output.
///
/// Guarantees: the same bytes as the `JSONWriter` methods of the same names (strings quoted
/// and escaped by the same rules); every write checks that it fits the window and traps
/// otherwise, so a wrong bound is a crash, never a write past the window.
public struct JSONCursor {
    @usableFromInline let base: UnsafeMutablePointer<UInt8>
    @usableFromInline let end: Int
    /// Bytes written so far.
    @usableFromInline var written: Int
    public var count: Int { written }

    @usableFromInline init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        end = capacity
        written = 0
    }

    /// Bytes a quoted string of `n` UTF-8 bytes takes at most (every byte `\u00XX`, quotes).
    @inlinable public static func quotedBound(_ n: Int) -> Int { 6 * n + 2 }

    @inlinable @inline(__always)
    mutating func room(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        precondition(n <= end - written, "JSONCursor: the reserved window is too small")
        defer { written += n }
        return base + written
    }

    /// Appends ASCII text verbatim, e.g. `raw(",\"surname\":")`.
    @inlinable @inline(__always)
    public mutating func raw(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        room(n).update(from: s.utf8Start, count: n)
    }

    @inlinable @inline(__always)
    public mutating func byte(_ b: UInt8) { room(1).pointee = b }

    /// A JSON string of a literal that needs no escape (an enum's wire name): copied as it is.
    public mutating func plainString(_ s: StaticString) {
        byte(0x22)
        raw(s)
        byte(0x22)
    }

    public mutating func null() { raw("null") }

    public mutating func bool(_ v: Bool) {
        if v { raw("true") } else { raw("false") }
    }

    /// Writes `null` for nil, otherwise the bytes quoted as `JSONWriter.string` quotes them.
    @inlinable
    public mutating func stringOrNull(utf8 bytes: UnsafeBufferPointer<UInt8>?) {
        if let bytes { quoted(bytes) } else { null() }
    }

    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { quoted($0) }
    }

    public mutating func stringOrNull(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// `"` + the bytes escaped + `"`. Eight bytes at a time while none of them needs an escape.
    @inlinable
    public mutating func quoted(_ u: UnsafeBufferPointer<UInt8>) {
        precondition(Self.quotedBound(u.count) <= end - written, "JSONCursor: the reserved window is too small")
        var out = base + written
        out.pointee = 0x22
        out += 1
        var i = 0
        if let src = u.baseAddress {
            while u.count - i >= 8 {
                let word = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                if Self.needsEscape(word) {
                    for k in 0..<8 { out = Self.put(src[i + k], at: out) }
                } else {
                    UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
                    out += 8
                }
                i += 8
            }
            // The last one to seven bytes as one word too, padded with spaces, where the window
            // has room for a whole word: most fields (names, codes, postal codes) are that short.
            if i < u.count && out - base + 8 <= end {
                let word = Self.loadTail(src + i, count: u.count - i)
                if !Self.needsEscape(word) {
                    UnsafeMutableRawPointer(out).storeBytes(of: word.littleEndian, as: UInt64.self)
                    out += u.count - i
                    i = u.count
                }
            }
            while i < u.count {
                out = Self.put(src[i], at: out)
                i += 1
            }
        }
        out.pointee = 0x22
        out += 1
        written = out - base
    }

    /// The `count` (1–7) bytes at `p` as the low bytes of a little-endian word whose other bytes
    /// are spaces; reads no byte past `p + count`.
    @inlinable @inline(__always)
    static func loadTail(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var word: UInt64 = 0
        var at = 0
        if count & 4 != 0 {
            word = UInt64(UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self)))
            at = 4
        }
        if count & 2 != 0 {
            word |= UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self))) << (8 * at)
            at += 2
        }
        if count & 1 != 0 {
            word |= UInt64(raw.load(fromByteOffset: at, as: UInt8.self)) << (8 * at)
            at += 1
        }
        return word | (0x2020_2020_2020_2020 << (8 * at))
    }

    /// Whether any of the eight bytes is below 0x20, a quote or a backslash (exact, no false
    /// positives for the word as a whole).
    @inlinable @inline(__always)
    static func needsEscape(_ w: UInt64) -> Bool { PlainRun.escapeBytes(w) != 0 }

    @inlinable @inline(__always)
    static func put(_ b: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if b >= 0x20 && b != 0x22 && b != 0x5C {
            out.pointee = b
            return out + 1
        }
        return JSONEscape.write(b, at: out)
    }

    /// Plain decimal.
    public mutating func uint(_ v: UInt64) {
        var digits = 1
        var rest = v / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let out = room(digits)
        var n = v
        var i = digits
        repeat {
            i -= 1
            out[i] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
            n /= 10
        } while n > 0
    }

    /// `"YYYY-MM-DD"` for a year of four digits (as `CivilDate.iso` in quotes).
    public mutating func isoDate(year: Int, month: Int, day: Int) {
        let out = room(12)
        out[0] = 0x22
        var y = year
        for i in stride(from: 4, through: 1, by: -1) {
            out[i] = 0x30 &+ UInt8(truncatingIfNeeded: y % 10)
            y /= 10
        }
        out[5] = 0x2D
        out[6] = 0x30 &+ UInt8(truncatingIfNeeded: month / 10)
        out[7] = 0x30 &+ UInt8(truncatingIfNeeded: month % 10)
        out[8] = 0x2D
        out[9] = 0x30 &+ UInt8(truncatingIfNeeded: day / 10)
        out[10] = 0x30 &+ UInt8(truncatingIfNeeded: day % 10)
        out[11] = 0x22
    }
}

/// The escapes of JSON strings, shared by `JSONWriter` and `JSONCursor`.
@usableFromInline enum JSONEscape {
    /// Writes the escape of `b` (a quote, a backslash or a byte below 0x20) at `out`; answers
    /// the position after it (at most 6 bytes on).
    @usableFromInline
    static func write(_ b: UInt8, at out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let short: UInt8
        switch b {
        case 0x22: short = 0x22
        case 0x5C: short = 0x5C
        case 0x08: short = 0x62
        case 0x0C: short = 0x66
        case 0x0A: short = 0x6E
        case 0x0D: short = 0x72
        case 0x09: short = 0x74
        default:
            let hex: StaticString = "0123456789abcdef"
            let digits = hex.utf8Start
            out[0] = 0x5C
            out[1] = 0x75
            out[2] = 0x30
            out[3] = 0x30
            out[4] = digits[Int(b >> 4)]
            out[5] = digits[Int(b & 0xF)]
            return out + 6
        }
        out[0] = 0x5C
        out[1] = short
        return out + 2
    }
}

extension JSONWriter {
    /// Reserves `bound` bytes at the end, lets `body` write at most that many through a
    /// cursor, and keeps what it wrote. One capacity check for the whole window.
    /// Not generic: a generic result here cost an `Optional<T>` metadata lookup per record.
    public mutating func withWindow(reserving bound: Int, _ body: (inout JSONCursor) -> Void) {
        bytes.append(addingCapacity: bound) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                var cursor = JSONCursor(base: buffer.baseAddress!, capacity: buffer.count)
                body(&cursor)
                initialized = cursor.count
            }
        }
    }
}
