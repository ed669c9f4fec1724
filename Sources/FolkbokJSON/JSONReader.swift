/// Recursive-descent reader over a byte buffer: values, arrays, objects, literals, numbers.
///
/// Guarantees: strict RFC 8259 structure (no trailing commas, comments, NaN/Infinity or
/// extra data), whitespace limited to space, tab, CR and LF, and nesting of arrays/objects
/// never deeper than `maxDepth` (a top-level array is depth 1). Strings are in JSONReader+String.
struct JSONReader {
    let base: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var pos = 0
    var depth = 0

    init(base: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.base = base
        self.count = count
        self.maxDepth = maxDepth
    }

    /// The byte at `pos`, or 0 (never valid outside a string) at the end.
    @inline(__always)
    var current: UInt8 { pos < count ? base[pos] : 0 }

    @inline(__always)
    func failure(_ message: String, at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, message: message)
    }

    @inline(__always)
    func unexpected() -> JSONParseError {
        pos >= count
            ? failure("unexpected end of input", at: count)
            : failure("unexpected character", at: pos)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let b = base[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard pos == count else { throw failure("unexpected data after the value", at: pos) }
        return value
    }

    /// Parses one value starting exactly at `pos` (whitespace already skipped).
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        switch current {
        case 0x22: return .string(try parseString())
        case 0x7B: return try parseObject()
        case 0x5B: return try parseArray()
        case 0x74:
            try expectLiteral(0x74_72_75_65, length: 4)
            return .bool(true)
        case 0x66:
            try expectLiteral(0x66_61_6C_73_65, length: 5)
            return .bool(false)
        case 0x6E:
            try expectLiteral(0x6E_75_6C_6C, length: 4)
            return .null
        case 0x2D, 0x30...0x39: return .number(try parseNumber())
        default: throw unexpected()
        }
    }

    /// Matches `length` ASCII bytes packed big-endian in `word`.
    @inline(__always)
    mutating func expectLiteral(_ word: UInt64, length: Int) throws(JSONParseError) {
        for k in 0..<length {
            let expected = UInt8(truncatingIfNeeded: word >> UInt64(8 * (length - 1 - k)))
            guard current == expected else { throw unexpected() }
            pos += 1
        }
    }

    mutating func parseNumber() throws(JSONParseError) -> String {
        switch JSONNumberText.scan(base, from: pos, to: count) {
        case .invalid(let at):
            pos = at
            throw at >= count ? unexpected() : failure("invalid number", at: at)
        case .end(let end):
            let text = String(decoding: UnsafeBufferPointer(start: base + pos, count: end - pos), as: UTF8.self)
            pos = end
            return text
        }
    }

    @inline(__always)
    mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        guard depth <= maxDepth else { throw failure("nesting too deep", at: pos) }
        pos += 1
        skipWhitespace()
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        if current == 0x5D {
            pos += 1
            depth -= 1
            return .array([])
        }
        var items: [JSONValue] = []
        items.reserveCapacity(4)
        while true {
            items.append(try parseValue())
            skipWhitespace()
            switch current {
            case 0x2C:
                pos += 1
                skipWhitespace()
            case 0x5D:
                pos += 1
                depth -= 1
                return .array(items)
            default:
                throw unexpected()
            }
        }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        if current == 0x7D {
            pos += 1
            depth -= 1
            return .object(JSONObject())
        }
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(8)
        while true {
            guard current == 0x22 else { throw unexpected() }
            let key = try parseString()
            skipWhitespace()
            guard current == 0x3A else { throw unexpected() }
            pos += 1
            skipWhitespace()
            members.append((key: key, value: try parseValue()))
            skipWhitespace()
            switch current {
            case 0x2C:
                pos += 1
                skipWhitespace()
            case 0x7D:
                pos += 1
                depth -= 1
                return .object(JSONObject(members))
            default:
                throw unexpected()
            }
        }
    }
}
