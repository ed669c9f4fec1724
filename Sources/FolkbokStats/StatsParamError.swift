/// A statistics param that breaks docs/PROTOCOL.md's rules; the caller answers -32602
/// (`invalid_params`) with `message`.
///
/// Guarantees: `message` names the parameter and echoes caller text only when it is a short
/// plain name, so it never carries person data.
public struct StatsParamError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The param at fault, e.g. `"by"`.
    public let parameter: String
    public let message: String

    public init(parameter: String, _ message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { message }

    /// `text` quoted when it is short and plainly a name, otherwise a placeholder.
    package static func quoted(_ text: String) -> String {
        let plain =
            text.count <= 32
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
        return plain ? "\"\(text)\"" : "(name not shown)"
    }
}
