/// A JSON-RPC error as docs/PROTOCOL.md's error table defines it.
///
/// Guarantees: `message` is fixed text or names a parameter; it never contains person data.
public struct RPCError: Error, Sendable, Equatable {
    public let code: Int
    public let reason: String
    public let message: String
    /// `data.primary`: where writes go, on a replica's `read_only_replica` refusal.
    public internal(set) var primary: String?

    public init(code: Int, reason: String, message: String) {
        self.code = code
        self.reason = reason
        self.message = message
    }

    public static let parseError = RPCError(code: -32700, reason: "parse_error", message: "the line is not valid JSON")
    public static func invalidRequest(_ message: String) -> RPCError {
        RPCError(code: -32600, reason: "invalid_request", message: message)
    }
    public static let lineTooLong = RPCError(
        code: -32600, reason: "line_too_long", message: "the line is longer than the server's limit")
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, reason: "method_not_found", message: "unknown method \(Self.quotedSafely(method))")
    }
    public static func invalidParams(_ message: String) -> RPCError {
        RPCError(code: -32602, reason: "invalid_params", message: message)
    }
    public static let internalError = RPCError(code: -32603, reason: "internal", message: "internal error")
    public static let unauthenticated = RPCError(
        code: 4001, reason: "unauthenticated", message: "open a session first (session.open)")
    public static func forbidden(_ message: String) -> RPCError {
        RPCError(code: 4003, reason: "forbidden", message: message)
    }
    public static let notFound = RPCError(code: 4004, reason: "not_found", message: "no such person")
    public static func notFound(_ message: String) -> RPCError {
        RPCError(code: 4004, reason: "not_found", message: message)
    }
    public static let exportExpired = RPCError(code: 4004, reason: "expired", message: "the export has expired")
    public static func conflict(_ message: String) -> RPCError {
        RPCError(code: 4009, reason: "conflict", message: message)
    }
    public static func invalidIdentity(_ message: String) -> RPCError {
        RPCError(code: 4022, reason: "invalid_identity", message: message)
    }
    public static let tooManyConnections = RPCError(
        code: 5003, reason: "too_many_connections", message: "the server has too many open connections; try again later"
    )
    public static func unavailable(_ message: String) -> RPCError {
        RPCError(code: 5003, reason: "unavailable", message: message)
    }

    /// A method name is caller-chosen text: quote it only if it is short and plainly a name.
    private static func quotedSafely(_ method: String) -> String {
        let plain = method.count <= 64 && method.allSatisfy { $0.isASCII && ($0.isLetter || $0 == "." || $0 == "_") }
        return plain ? "\"\(method)\"" : "(name not shown)"
    }
}
