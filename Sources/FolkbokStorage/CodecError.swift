/// Why bytes are not a valid encoding of one of folkbok's binary formats: a mutation or
/// snapshot section, an access-log entry, a statistics file.
///
/// Guarantees: names the format, the problem, the field and the byte offset where the field
/// started (or where the check failed), never a field's value.
public struct CodecError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was wrong.
    public enum Problem: Sendable, Equatable {
        /// The bytes end before the encoding does.
        case truncated
        /// The first bytes are not the expected magic (or belong to another kind of file).
        case badMagic
        /// A format version this build does not read.
        case unsupportedVersion
        /// A stored checksum does not match: the bytes were changed.
        case checksumMismatch
        /// A tag, code, id, count, length or varint is out of range.
        case invalidValue
        /// A table entry appears twice.
        case duplicate
        /// A string is not valid UTF-8.
        case invalidUTF8
        /// Bytes remain after a complete encoding.
        case trailingBytes
    }

    public let problem: Problem
    /// The field being decoded, e.g. `"name.given"`.
    public let field: String
    /// Byte offset within the encoding.
    public let offset: Int
    /// What was being decoded, e.g. `"mutation"`, `"audit entry"`, `"statistics"`.
    public let format: String

    public init(_ problem: Problem, field: String, offset: Int, format: String) {
        self.problem = problem
        self.field = field
        self.offset = offset
        self.format = format
    }

    package init(_ problem: Problem, field: String, offset: Int, in format: ByteFormat) {
        self.init(problem, field: field, offset: offset, format: "\(format.name)")
    }

    public var description: String {
        let what =
            switch problem {
            case .truncated: "the bytes end early"
            case .badMagic: "not a folkbok file of this kind (bad magic)"
            case .unsupportedVersion: "unsupported format version"
            case .checksumMismatch: "checksum mismatch (the bytes were changed)"
            case .invalidValue: "value out of range"
            case .duplicate: "duplicate table entry"
            case .invalidUTF8: "string is not valid UTF-8"
            case .trailingBytes: "bytes follow the end"
            }
        return "undecodable \(format): \(what) (field \(field), byte offset \(offset))"
    }
}
