/// Why a byte string is not a valid encoded `Mutation`.
///
/// Guarantees: names the field and the byte offset within the encoded mutation, never a
/// field's value.
public struct CodecError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was wrong.
    public enum Problem: Sendable, Equatable {
        /// The bytes end before the mutation does.
        case truncated
        /// A tag, enum code or length is out of range.
        case invalidValue
        /// A string is not valid UTF-8.
        case invalidUTF8
        /// Bytes remain after a complete mutation.
        case trailingBytes
    }

    public let problem: Problem
    /// The field being decoded, e.g. `"name.given"`.
    public let field: String
    /// Byte offset within the encoded mutation.
    public let offset: Int

    public init(_ problem: Problem, field: String, offset: Int) {
        self.problem = problem
        self.field = field
        self.offset = offset
    }

    public var description: String {
        let what = switch problem {
        case .truncated: "bytes end before the field"
        case .invalidValue: "value out of range"
        case .invalidUTF8: "string is not valid UTF-8"
        case .trailingBytes: "bytes follow the end of the mutation"
        }
        return "undecodable mutation: \(what) (field \(field), byte offset \(offset))"
    }
}
