import FolkbokJSON
import FolkbokServer
import Foundation

/// How a command-line client connects and which session it opens (flags, then environment,
/// then the demo's defaults).
struct ClientSession {
    var socketPath: String
    var customer: String
    var purpose: String
    var contract: String

    static let valuedFlags: Set<String> = ["socket", "customer", "purpose", "contract"]

    init(_ args: Arguments, defaultCustomer: String = "SE2321000016-0001") {
        let env = ProcessInfo.processInfo.environment
        socketPath = args.options["socket"] ?? env["FOLKBOK_SOCKET"] ?? "./folkbok.sock"
        customer = args.options["customer"] ?? env["FOLKBOK_CUSTOMER"] ?? defaultCustomer
        purpose = args.options["purpose"] ?? env["FOLKBOK_PURPOSE"] ?? "care"
        contract = args.options["contract"] ?? env["FOLKBOK_CONTRACT"] ?? "normal"
    }

    /// Connects and opens the session (`asOperator`: customer alone).
    func connect(asOperator: Bool = false, open: Bool = true) -> LineClient {
        let client: LineClient
        do { client = try LineClient(socketPath: socketPath) } catch { die(error.description) }
        guard open else { return client }
        var params = JSONWriter()
        params.raw("{\"customer\":")
        params.string(customer)
        if !asOperator {
            params.raw(",\"purpose\":")
            params.string(purpose)
            params.raw(",\"contract\":")
            params.string(contract)
        }
        params.raw("}")
        let response = Self.call(client, "session.open", String(decoding: params.bytes, as: UTF8.self))
        if let error = response["error"] { die("session.open: \(Self.describe(error))") }
        return client
    }

    static func call(_ client: LineClient, _ method: String, _ params: String) -> JSONObject {
        do { return try client.call(method, params: params) } catch { die(error.description) }
    }

    /// One readable line for an error object: `4004 not_found: no such person`.
    static func describe(_ error: JSONValue) -> String {
        let o = error.objectValue
        let code = o?["code"].map { v -> String in if case .number(let n) = v { n } else { "?" } } ?? "?"
        let reason = o?["data"]?.objectValue?["reason"]?.stringValue ?? ""
        return "\(code) \(reason): \(o?["message"]?.stringValue ?? "")"
    }
}
