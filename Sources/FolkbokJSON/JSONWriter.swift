/// Appends JSON text to a byte buffer.
///
/// Guarantees: every string written through `string`/`stringOrNull`/`value` is correctly
/// quoted and escaped (`"`, `\`, and all bytes below 0x20 escaped; non-ASCII UTF-8 passed
/// through; `/` not escaped), numbers are valid RFC 8259 number text, and `value` emits
/// compact JSON (no spaces) that `JSONParser` parses back to an equal value. The caller
/// places commas and colons with `raw`, which is written verbatim and unchecked.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8]

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends ASCII text verbatim, e.g. `raw(",\"surname\":")`.
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes verbatim.
    public mutating func raw(_ b: [UInt8]) {
        bytes.append(contentsOf: b)
    }

    /// Appends bytes verbatim.
    public mutating func raw(_ b: UnsafeRawBufferPointer) {
        b.withMemoryRebound(to: UInt8.self) { bytes.append(contentsOf: $0) }
    }

    public mutating func bool(_ v: Bool) {
        if v { raw("true") } else { raw("false") }
    }

    public mutating func null() {
        raw("null")
    }

    /// Serializes `v` compactly. Object members are written in order, duplicates included.
    /// A `.number` whose text is not a valid RFC 8259 number is written as `null`, so the
    /// output is always valid JSON.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null:
            null()
        case .bool(let b):
            bool(b)
        case .number(let text):
            if JSONNumberText.isValid(text) { bytes.append(contentsOf: text.utf8) } else { null() }
        case .string(let s):
            string(s)
        case .array(let items):
            bytes.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                value(item)
            }
            bytes.append(0x5D)
        case .object(let object):
            bytes.append(0x7B)
            for (i, member) in object.members.enumerated() {
                if i > 0 { bytes.append(0x2C) }
                string(member.key)
                bytes.append(0x3A)
                value(member.value)
            }
            bytes.append(0x7D)
        }
    }
}
