import FolkbokJSON

/// One JSON-RPC request object, validated for shape (not yet for its method's params).
///
/// Guarantees: `method` is a string; `params` is an object (an absent `params` is empty);
/// `id` is nil only for a notification (a missing `id`); a present `id` is a string, number or null.
struct Request: Sendable {
    /// Why a request object was refused, and the id to answer with.
    struct Refusal: Error {
        let error: RPCError
        let id: JSONValue
    }

    let id: JSONValue?
    let method: String
    let params: JSONObject

    var isNotification: Bool { id == nil }

    /// Validates one element of a line (a request object). On failure answers the error and the
    /// id to answer it with (nil when the request had none usable).
    static func validate(_ value: JSONValue) -> Result<Request, Refusal> {
        guard case .object(let object) = value else {
            return .failure(Refusal(error: .invalidRequest("a request must be a JSON object"), id: .null))
        }
        var id: JSONValue?
        if let raw = object["id"] {
            switch raw {
            case .string, .number, .null: id = raw
            default:
                return .failure(Refusal(error: .invalidRequest("\"id\" must be a string, a number or null"), id: .null))
            }
        }
        if let version = object["jsonrpc"], version != .string("2.0") {
            return .failure(Refusal(error: .invalidRequest("\"jsonrpc\" must be \"2.0\""), id: id ?? .null))
        }
        guard case .string(let method)? = object["method"] else {
            return .failure(Refusal(error: .invalidRequest("\"method\" must be a string"), id: id ?? .null))
        }
        var params = JSONObject()
        switch object["params"] {
        case nil, .null?: break
        case .object(let p)?: params = p
        default: return .failure(Refusal(error: .invalidParams("\"params\" must be an object"), id: id ?? .null))
        }
        return .success(Request(id: id, method: method, params: params))
    }
}
