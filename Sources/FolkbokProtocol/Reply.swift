import FolkbokJSON

/// Builds JSON-RPC response objects (without the line terminator).
enum Reply {
    static func success(id: JSONValue, _ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        success(id: id, into: &w, body)
        return w.bytes
    }

    /// Appends the success response to `w`.
    static func success(id: JSONValue, into w: inout JSONWriter, _ body: (inout JSONWriter) -> Void) {
        w.raw("{\"jsonrpc\":\"2.0\",\"id\":")
        w.value(id)
        w.raw(",\"result\":")
        body(&w)
        w.raw("}")
    }

    static func error(id: JSONValue?, _ e: RPCError) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        error(id: id, e, into: &w)
        return w.bytes
    }

    /// Appends the error response to `w`.
    static func error(id: JSONValue?, _ e: RPCError, into w: inout JSONWriter) {
        w.raw("{\"jsonrpc\":\"2.0\",\"id\":")
        w.value(id ?? .null)
        w.raw(",\"error\":")
        errorObject(e, into: &w)
        w.raw("}")
    }

    static func errorObject(_ e: RPCError, into w: inout JSONWriter) {
        w.raw("{\"code\":")
        w.int(e.code)
        w.raw(",\"message\":")
        w.string(e.message)
        w.raw(",\"data\":{\"reason\":")
        w.string(e.reason)
        if let primary = e.primary {
            w.raw(",\"primary\":")
            w.string(primary)
        }
        w.raw("}}")
    }
}
