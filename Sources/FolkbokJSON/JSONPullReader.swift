import FolkbokModel

/// A pull reader over one JSON text for decoders that go straight from bytes to their own
/// types (an import line to a `PersonRecord`) without building a `JSONValue` tree.
///
/// Guarantees: the same grammar as `JSONParser` (it is the same reader underneath): strict
/// RFC 8259 structure, whitespace limited to space, tab, CR and LF, strings validated and
/// unescaped by the same code, and containers counted against `maxDepth` as the parser
/// counts them, so a text the caller reads through (with `skipValue` or `value` for the
/// members it does not read itself, and `finish` at the end) is one `JSONParser` accepts.
/// Any error leaves the reader at an unspecified position: the caller gives up on the text.
public struct JSONPullReader {
    var reader: JSONReader

    /// A reader over `count` bytes at `base`, which must stay valid while it is used.
    public init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int = 64) {
        reader = JSONReader(base: base, count: count, maxDepth: maxDepth)
        reader.skipWhitespace()
    }

    /// The byte at the reading position (whitespace skipped), 0 at the end.
    public var current: UInt8 { reader.current }

    /// Opens the object at the reading position; true when it has a first member (read its
    /// key with `key()`), false when it is `{}` (then already closed).
    public mutating func beginObject() throws(JSONParseError) -> Bool {
        guard reader.current == 0x7B else { throw reader.unexpected() }
        try reader.enterContainer()
        if reader.current == 0x7D {
            reader.pos += 1
            reader.depth -= 1
            reader.skipWhitespace()
            return false
        }
        return true
    }

    /// The key of the member at the reading position as its raw bytes, and moves to its
    /// value. A key with an escape throws (a decoder that matches keys by bytes cannot tell
    /// what it names; it gives up on the text).
    public mutating func key() throws(JSONParseError) -> UnsafeBufferPointer<UInt8> {
        guard reader.current == 0x22 else { throw reader.unexpected() }
        let bytes = try plainString(escape: "escaped key")
        reader.skipWhitespace()
        guard reader.current == 0x3A else { throw reader.unexpected() }
        reader.pos += 1
        reader.skipWhitespace()
        return bytes
    }

    /// After a member's value: true when another member follows (read its `key()`), false
    /// when the object closed.
    public mutating func nextMember() throws(JSONParseError) -> Bool {
        reader.skipWhitespace()
        switch reader.current {
        case 0x2C:
            reader.pos += 1
            reader.skipWhitespace()
            return true
        case 0x7D:
            reader.pos += 1
            reader.depth -= 1
            reader.skipWhitespace()
            return false
        default:
            throw reader.unexpected()
        }
    }

    /// True (and consumed) when the value at the reading position is `null`.
    public mutating func null() throws(JSONParseError) -> Bool {
        guard reader.current == 0x6E else { return false }
        try reader.expectLiteral(0x6E_75_6C_6C, length: 4)
        return true
    }

    /// The string at the reading position; anything else throws.
    public mutating func string() throws(JSONParseError) -> String {
        guard reader.current == 0x22 else { throw reader.failure("not a string", at: reader.pos) }
        return try reader.parseString()
    }

    /// The UTF-8 bytes of the string at the reading position, in place (valid as long as the
    /// buffer read), nil for `null`; anything else throws, and so does a string with an
    /// escape (a decoder that reads bytes leaves such a string to the `String` path). Checked
    /// as `string()` checks it.
    public mutating func plainStringOrNull() throws(JSONParseError) -> UnsafeBufferPointer<UInt8>? {
        if try null() { return nil }
        guard reader.current == 0x22 else { throw reader.failure("not a string", at: reader.pos) }
        return try plainString(escape: "escaped string")
    }

    /// The content of the string whose opening quote is at the reading position, in place,
    /// and moves past its closing quote; a backslash throws `escape`. Checked as `string()`
    /// checks it.
    private mutating func plainString(escape: String) throws(JSONParseError) -> UnsafeBufferPointer<UInt8> {
        let start = reader.pos + 1
        var i = start
        let base = reader.base, count = reader.count
        while true {
            i = PlainRun.end(of: base, from: i, to: count)
            guard i < count else { throw reader.failure("unterminated string", at: count) }
            let b = base[i]
            if b == 0x22 { break }
            if b == 0x5C { throw reader.failure(escape, at: i) }
            i = try afterStringByte(at: i)
        }
        reader.pos = i + 1
        return UnsafeBufferPointer(start: base + start, count: i - start)
    }

    /// The string at the reading position, nil for `null`; anything else throws.
    public mutating func stringOrNull() throws(JSONParseError) -> String? {
        if try null() { return nil }
        return try string()
    }

    /// `true` or `false` at the reading position; anything else throws.
    public mutating func bool() throws(JSONParseError) -> Bool {
        switch reader.current {
        case 0x74:
            try reader.expectLiteral(0x74_72_75_65, length: 4)
            return true
        case 0x66:
            try reader.expectLiteral(0x66_61_6C_73_65, length: 5)
            return false
        default:
            throw reader.failure("not a boolean", at: reader.pos)
        }
    }

    /// The value at the reading position as a tree (for the rare parts a decoder leaves to
    /// the `JSONValue` path).
    public mutating func value() throws(JSONParseError) -> JSONValue { try reader.parseValue() }

    /// Passes over the value at the reading position, checking it as `JSONParser` would.
    public mutating func skipValue() throws(JSONParseError) {
        switch reader.current {
        case 0x22: try skipString()
        case 0x2D, 0x30...0x39:
            switch JSONNumberText.scan(reader.base, from: reader.pos, to: reader.count) {
            case .invalid(let at): throw reader.failure("invalid number", at: at)
            case .end(let end): reader.pos = end
            }
        default: _ = try reader.parseValue()
        }
    }

    /// A string without escapes is checked in place; one with escapes is decoded and dropped.
    private mutating func skipString() throws(JSONParseError) {
        let base = reader.base, count = reader.count
        var i = reader.pos + 1
        while i < count {
            i = PlainRun.end(of: base, from: i, to: count)
            guard i < count else { break }
            let b = base[i]
            if b == 0x22 {
                reader.pos = i + 1
                return
            }
            if b == 0x5C {
                _ = try reader.parseString()
                return
            }
            i = try afterStringByte(at: i)
        }
        throw reader.failure("unterminated string", at: count)
    }

    /// The position after the string byte at `i` (neither a quote nor a backslash): the next
    /// byte, or past a whole UTF-8 sequence; a control character or invalid UTF-8 is an error.
    @inline(__always)
    private func afterStringByte(at i: Int) throws(JSONParseError) -> Int {
        let b = reader.base[i]
        if b < 0x20 { throw reader.failure("unescaped control character in string", at: i) }
        if b < 0x80 { return i + 1 }
        guard let next = UTF8Check.sequenceEnd(reader.base, at: i, end: reader.count) else {
            throw reader.failure("invalid UTF-8", at: i)
        }
        return next
    }

    /// Checks that nothing but whitespace follows the value read last.
    public mutating func finish() throws(JSONParseError) {
        reader.skipWhitespace()
        guard reader.pos == reader.count else {
            throw reader.failure("unexpected data after the value", at: reader.pos)
        }
    }
}
