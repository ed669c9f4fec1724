/// How a request was answered, by the class of its error code: the label values of
/// `folkbok_requests_total{outcome=…}`.
public enum ReplyOutcome: Int, CaseIterable, Sendable {
    case ok = 0
    /// -32xxx: the request itself was wrong (not JSON, unknown method, bad params).
    case rpcError
    /// 4xxx: refused for the caller (no session, forbidden, not found, conflict, bad identity).
    case clientError
    /// 5xxx: the server could not (unavailable, too many connections, the access log failed).
    case serverError
    /// Nothing was answered (a notification).
    case none

    public var label: String {
        switch self {
        case .ok: "ok"
        case .rpcError: "-32xxx"
        case .clientError: "4xxx"
        case .serverError: "5xxx"
        case .none: "none"
        }
    }

    /// The outcome of a response line (or object) as `Reply` writes it:
    /// `{"jsonrpc":"2.0","id":…,"result":…}` is ok, `…,"error":{"code":N,…}` is N's class,
    /// a batch's array is ok, nothing is `none`. Reads only the bytes up to the code; allocates
    /// nothing.
    public static func of(_ bytes: [UInt8]) -> ReplyOutcome {
        bytes.withUnsafeBufferPointer { of($0) }
    }

    public static func of(_ bytes: ArraySlice<UInt8>) -> ReplyOutcome {
        bytes.withUnsafeBufferPointer { of($0) }
    }

    public static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> ReplyOutcome {
        guard !bytes.isEmpty else { return .none }
        guard bytes[0] == UInt8(ascii: "{") else { return .ok }
        let prefix: StaticString = #"{"jsonrpc":"2.0","id":"#
        guard bytes.count > prefix.utf8CodeUnitCount, matches(bytes, at: 0, prefix) else { return .ok }
        var at = prefix.utf8CodeUnitCount
        if bytes[at] == UInt8(ascii: "\"") {
            at += 1
            while at < bytes.count && bytes[at] != UInt8(ascii: "\"") { at += bytes[at] == UInt8(ascii: "\\") ? 2 : 1 }
            at += 1
        } else {
            while at < bytes.count && bytes[at] != UInt8(ascii: ",") { at += 1 }
        }
        let errorKey: StaticString = #","error":{"code":"#
        guard at + errorKey.utf8CodeUnitCount < bytes.count, matches(bytes, at: at, errorKey) else { return .ok }
        at += errorKey.utf8CodeUnitCount
        let negative = bytes[at] == UInt8(ascii: "-")
        if negative { return .rpcError }
        var code = 0
        while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39, code < 100_000 {
            code = code * 10 + Int(bytes[at] - 0x30)
            at += 1
        }
        return code >= 5000 ? .serverError : .clientError
    }

    /// Whether `bytes` holds `word` at `at` (the caller checked there is room).
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at: Int, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for i in 0..<word.utf8CodeUnitCount where bytes[at + i] != w[i] { return false }
        return true
    }
}
