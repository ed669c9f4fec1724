import FolkbokJSON
import FolkbokServer
import Glibc

/// One blocking connection of the crash loop to the server under test.
///
/// Guarantees: every call ends in exactly one of `.result`, `.error` or `.lost`. `.lost` means
/// the answer never came (the server was killed, closed the connection, sent something that is
/// not a JSON-RPC answer, or sent nothing for `timeoutSeconds`): the request may or may not
/// have taken effect. After the first `.lost` every call answers `.lost` without sending.
/// One thread uses one connection.
final class ChaosConnection {
    enum Reply {
        case result(JSONValue)
        case error(code: Int64, reason: String)
        case lost
    }

    private var client: LineClient?

    init?(socketPath: String, timeoutSeconds: Int = 60) {
        guard let client = try? LineClient(socketPath: socketPath) else { return nil }
        var limit = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        _ = setsockopt(client.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        self.client = client
    }

    /// A connection with a customer session open (`contract` normal), or nil.
    static func customer(_ socketPath: String, customer: String, user: String) -> ChaosConnection? {
        let params = "{\"customer\":\"\(customer)\",\"purpose\":\"care\",\"user\":\"\(user)\"}"
        guard let connection = ChaosConnection(socketPath: socketPath),
            case .result = connection.call("session.open", params)
        else { return nil }
        return connection
    }

    /// A connection with an operator session open, or nil.
    static func `operator`(_ socketPath: String) -> ChaosConnection? {
        guard let connection = ChaosConnection(socketPath: socketPath),
            case .result = connection.call("session.open", "{\"customer\":\"operator\"}")
        else { return nil }
        return connection
    }

    var isLost: Bool { client == nil }

    func call(_ method: String, _ params: String = "{}") -> Reply {
        guard let client else { return .lost }
        do {
            let response = try client.call(method, params: params)
            if let result = response["result"] { return .result(result) }
            if let error = response["error"]?.objectValue {
                let reason = error["data"]?.objectValue?["reason"]?.stringValue ?? ""
                return .error(code: error["code"]?.int64Value ?? 0, reason: reason)
            }
        } catch {}
        self.client = nil
        return .lost
    }
}

extension JSONValue {
    /// The member `key` of an object, or nil (also when this is not an object).
    subscript(chaos key: String) -> JSONValue? { objectValue?[key] }
}
