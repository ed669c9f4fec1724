import FolkbokJSON

/// Builds JSON-RPC response objects (without the line terminator).
enum Reply {
    static func success(id: JSONValue, _ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 1024)
        w.raw("{\"jsonrpc\":\"2.0\",\"id\":")
        w.value(id)
        w.raw(",\"result\":")
        body(&w)
        w.raw("}")
        return w.bytes
    }

    static func error(id: JSONValue?, _ e: RPCError) -> [UInt8] {
        var w = JSONWriter(capacity: 160)
        w.raw("{\"jsonrpc\":\"2.0\",\"id\":")
        w.value(id ?? .null)
        w.raw(",\"error\":")
        errorObject(e, into: &w)
        w.raw("}")
        return w.bytes
    }

    static func errorObject(_ e: RPCError, into w: inout JSONWriter) {
        w.raw("{\"code\":")
        w.int(e.code)
        w.raw(",\"message\":")
        w.string(e.message)
        w.raw(",\"data\":{\"reason\":")
        w.string(e.reason)
        w.raw("}}")
    }
}
