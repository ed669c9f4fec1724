import FolkbokXML

/// Why a Navet file or delivery is refused as a whole (docs/PROTOCOL.md "Navet notification
/// files": nothing of it may be applied).
///
/// Guarantees: `reason` is the protocol's `data.reason` (`malformed_file`, `incomplete_delivery`,
/// or `unreadable_file` for the environment's failures); `line` is the first bad line when the
/// refusal has one; `message` is fixed English wording that never holds a value from the file.
public struct NavetFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case malformedFile
        case incompleteDelivery
        case unreadableFile
    }

    public var kind: Kind
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, line: Int?, _ message: String) {
        self.kind = kind
        self.line = line
        self.message = message
    }

    init(_ xml: XMLError) {
        self.init(
            xml.reason.isMalformation ? .malformedFile : .unreadableFile,
            line: xml.reason.isMalformation ? xml.line : nil,
            xml.reason.message)
    }

    public var reason: String {
        switch kind {
        case .malformedFile: "malformed_file"
        case .incompleteDelivery: "incomplete_delivery"
        case .unreadableFile: "unreadable_file"
        }
    }

    public var description: String {
        if let line { return "\(reason) at line \(line): \(message)" }
        return "\(reason): \(message)"
    }
}
