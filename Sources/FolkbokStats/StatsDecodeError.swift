/// Why bytes are not valid encoded statistics counters or delta.
///
/// Guarantees: names the problem, the field and the byte offset; never a dimension value.
public struct StatsDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// The bytes end before the encoding does.
        case truncated
        /// The first eight bytes are not the expected magic (or belong to the other kind).
        case badMagic
        /// A format version this build does not read.
        case unsupportedVersion
        /// The CRC32C does not match: the bytes were changed.
        case checksumMismatch
        /// An id refers past its table, or a code, count, variant or hour is not a valid one.
        case outOfRange
        /// A string or caller appears twice in a table.
        case duplicate
        /// A string is not valid UTF-8.
        case invalidUTF8
        /// Bytes remain after the encoding.
        case trailingBytes
    }

    public let problem: Problem
    public let field: String
    public let offset: Int

    public init(_ problem: Problem, field: String, offset: Int) {
        self.problem = problem
        self.field = field
        self.offset = offset
    }

    public var description: String {
        let what = switch problem {
        case .truncated: "the bytes end early"
        case .badMagic: "not a folkbok statistics file of this kind (bad magic)"
        case .unsupportedVersion: "unsupported format version"
        case .checksumMismatch: "checksum mismatch (the bytes were changed)"
        case .outOfRange: "value or id out of range"
        case .duplicate: "duplicate table entry"
        case .invalidUTF8: "string is not valid UTF-8"
        case .trailingBytes: "bytes follow the end"
        }
        return "undecodable statistics: \(what) (field \(field), byte offset \(offset))"
    }
}
