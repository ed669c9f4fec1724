/// A JSON object: members in source order, duplicates kept.
///
/// Guarantees: `members` preserves the order (and duplicates) of the source text or of
/// construction. Lookup by key returns the LAST member with that key (the usual
/// "last one wins" reading of duplicate keys) and is a linear scan, suited to the small
/// objects of JSON-RPC. Equality compares members pairwise in order.
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONValue)]

    public init(_ members: [(key: String, value: JSONValue)] = []) {
        self.members = members
    }

    /// The value of the last member named `key`, or nil if there is none.
    public subscript(key: String) -> JSONValue? {
        var i = members.count
        while i > 0 {
            i -= 1
            if members[i].key == key { return members[i].value }
        }
        return nil
    }

    /// Member keys in order, duplicates included.
    public var keys: [String] { members.map(\.key) }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for i in lhs.members.indices {
            let a = lhs.members[i], b = rhs.members[i]
            if a.key != b.key || a.value != b.value { return false }
        }
        return true
    }
}
