/// Why and where parsing failed.
///
/// Guarantees: `offset` is the byte offset of the offending byte (or the input length for a
/// premature end); `message` is a fixed English phrase that never quotes input content,
/// so it is safe to log even when the input holds personal data.
public struct JSONParseError: Error, Equatable, Sendable {
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}
