/// Strict RFC 8259 parser entry points.
///
/// Guarantees: accepts exactly one value with optional surrounding whitespace (space, tab,
/// CR, LF only). Rejects trailing commas, leading zeros, NaN/Infinity, comments, a BOM,
/// invalid UTF-8 (overlongs, encoded surrogates, > U+10FFFF), unescaped control characters
/// in strings, unpaired `\u` surrogates, and arrays/objects nested deeper than `maxDepth`.
/// Recursion depth is bounded by `maxDepth`, so keep it modest (the default is 64).
/// Duplicate object keys are kept; `JSONObject` lookup returns the last.
public enum JSONParser {
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try bytes.withMemoryRebound(to: UInt8.self) { parseBuffer($0, maxDepth: maxDepth) }.get()
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { parseBuffer($0, maxDepth: maxDepth) }.get()
    }

    public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { parseBuffer($0, maxDepth: maxDepth) }.get()
    }

    static func parseBuffer(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> Result<JSONValue, JSONParseError> {
        guard let base = buffer.baseAddress else {
            return .failure(JSONParseError(offset: 0, message: "unexpected end of input"))
        }
        var reader = JSONReader(base: base, count: buffer.count, maxDepth: maxDepth)
        do throws(JSONParseError) {
            return .success(try reader.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}
