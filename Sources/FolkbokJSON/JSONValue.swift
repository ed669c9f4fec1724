/// A parsed JSON value. Numbers keep their exact source text so ids can be echoed verbatim.
///
/// Guarantees: values produced by `JSONParser` contain only well-formed Unicode strings and
/// `.number` payloads that match the RFC 8259 number grammar. Equality is structural; numbers
/// compare by text (`.number("1") != .number("1.0")`) and objects compare members in order.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The exact RFC 8259 number text, e.g. `"7"`, `"-1.5e3"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// The payload of `.string`, otherwise nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The payload of `.bool`, otherwise nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The payload of `.object`, otherwise nil.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The payload of `.array`, otherwise nil.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// True exactly for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value of integer number text (no fraction, no exponent) that fits in `Int64`;
    /// nil for anything else, e.g. `"1.0"`, `"1e2"` or `"9223372036854775808"`.
    public var int64Value: Int64? {
        guard case .number(let text) = self else { return nil }
        return JSONNumberText.int64(text)
    }

    /// The value of integer number text that fits in `UInt64`; `"-0"` is 0, other negatives are nil.
    public var uint64Value: UInt64? {
        guard case .number(let text) = self else { return nil }
        return JSONNumberText.uint64(text)
    }

    /// The nearest `Double` to the number text; nil if it is not a number or overflows to infinity.
    public var doubleValue: Double? {
        guard case .number(let text) = self, let d = Double(text), d.isFinite else { return nil }
        return d
    }
}
