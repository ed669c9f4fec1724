import FolkbokJSON

/// Typed access to a method's params that throws -32602 naming the parameter.
///
/// Guarantees: `init` rejects any key not in `allowed` (docs/PROTOCOL.md: an unknown param is -32602).
struct Params {
    let object: JSONObject

    init(_ object: JSONObject, allowed: Set<String>) throws(RPCError) {
        for key in object.keys where !allowed.contains(key) {
            throw .invalidParams(
                "unknown param \(Self.safeName(key))" + (allowed.isEmpty ? ": this method takes no params" : ""))
        }
        self.object = object
    }

    static func safeName(_ key: String) -> String {
        key.count <= 32 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            ? "\"\(key)\"" : "(name not shown)"
    }

    /// nil when absent or null.
    func value(_ key: String) -> JSONValue? {
        guard let v = object[key], v != .null else { return nil }
        return v
    }

    /// A present, non-null param; -32602 naming it otherwise.
    func required(_ key: String) throws(RPCError) -> JSONValue {
        guard let v = value(key) else { throw .invalidParams("\"\(key)\" is required") }
        return v
    }

    func string(_ key: String) throws(RPCError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw .invalidParams("\"\(key)\" must be a string") }
        return s
    }

    func requiredString(_ key: String) throws(RPCError) -> String {
        guard let s = try string(key) else { throw .invalidParams("\"\(key)\" is required") }
        return s
    }

    func bool(_ key: String) throws(RPCError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw .invalidParams("\"\(key)\" must be true or false") }
        return b
    }

    func uint(_ key: String) throws(RPCError) -> UInt64? {
        guard let v = value(key) else { return nil }
        guard let n = v.uint64Value else { throw .invalidParams("\"\(key)\" must be a non-negative integer") }
        return n
    }

    /// An integer param within `range`, as an `Int`; -32602 naming it for anything else,
    /// however large, negative or fractional the number (this never traps).
    func int(_ key: String, in range: ClosedRange<Int>) throws(RPCError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.int64Value.flatMap({ Int(exactly: $0) }), range.contains(n) else {
            throw .invalidParams("\"\(key)\" must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A string param that must be one of an enum's raw values.
    func choice<E: RawRepresentable>(_ key: String, _ type: E.Type) throws(RPCError) -> E? where E.RawValue == String {
        guard let s = try string(key) else { return nil }
        guard let e = E(rawValue: s) else { throw .invalidParams("\"\(key)\" has an unknown value") }
        return e
    }
}
