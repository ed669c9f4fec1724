import FolkbokJSON
import FolkbokModel

/// A byte-level recogniser of the commonest line, a `person.get` of one identity:
/// `{"jsonrpc":"2.0","id":…,"method":"person.get","params":{"id":"…"[,"profile":"P1|…|P5"]}}`
/// in any member order, with JSON whitespace between tokens. It builds no JSON tree.
///
/// Guarantees: it answers a request only when the general path (`JSONParser` then
/// `Request.validate` and `personGet`) would read exactly the same id, identity text and
/// profile from the line; anything else — another method or member, a repeated member, an
/// escape or a non-ASCII byte in a string, a fraction or exponent in the id, a notification —
/// answers nil and goes the general way. Both ways give the same bytes (PackedRenderTests).
struct FastGet {
    let id: JSONValue
    let identity: String
    let profile: Profile?

    static func recognize(_ line: ArraySlice<UInt8>) -> FastGet? {
        line.withUnsafeBufferPointer { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.request()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        mutating func request() -> FastGet? {
            var id: JSONValue?, identity: String?, profile: Profile?
            var sawVersion = false, sawMethod = false, sawParams = false
            guard take(0x7B) else { return nil }
            repeat {
                guard let key = plainRange() else { return nil }
                guard take(0x3A) else { return nil }
                if equal(key, "jsonrpc") {
                    guard !sawVersion, let value = plainRange(), equal(value, "2.0") else { return nil }
                    sawVersion = true
                } else if equal(key, "id") {
                    guard id == nil, let value = idValue() else { return nil }
                    id = value
                } else if equal(key, "method") {
                    guard !sawMethod, let value = plainRange(), equal(value, "person.get") else { return nil }
                    sawMethod = true
                } else if equal(key, "params") {
                    guard !sawParams, let p = params() else { return nil }
                    (identity, profile, sawParams) = (p.identity, p.profile, true)
                } else {
                    return nil
                }
            } while take(0x2C)
            guard take(0x7D), skipSpace() == bytes.count, let id, let identity, sawMethod else { return nil }
            return FastGet(id: id, identity: identity, profile: profile)
        }

        private mutating func params() -> (identity: String, profile: Profile?)? {
            var identity: String?, profile: Profile?, sawProfile = false
            guard take(0x7B) else { return nil }
            repeat {
                guard let key = plainRange(), take(0x3A) else { return nil }
                if equal(key, "id") {
                    guard identity == nil, let value = plainRange() else { return nil }
                    identity = text(value)
                } else if equal(key, "profile") {
                    guard !sawProfile, let value = plainRange(), let p = Profile(rawValue: text(value)) else {
                        return nil
                    }
                    (profile, sawProfile) = (p, true)
                } else {
                    return nil
                }
            } while take(0x2C)
            guard take(0x7D), let identity else { return nil }
            return (identity, profile)
        }

        /// An integer id (`-?(0|[1-9][0-9]*)`, kept as its text) or a plain string id.
        private mutating func idValue() -> JSONValue? {
            skipSpaceHere()
            guard at < bytes.count else { return nil }
            if bytes[at] == 0x22 { return plainRange().map { .string(text($0)) } }
            let start = at
            if bytes[at] == 0x2D { at += 1 }
            let digits = at
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
            guard at > digits, at - digits <= 18, bytes[digits] != 0x30 || at - digits == 1 else { return nil }
            if at < bytes.count, bytes[at] == 0x2E || bytes[at] == 0x65 || bytes[at] == 0x45 { return nil }
            return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self))
        }

        /// Where the content of a string of printable ASCII without escapes lies; nil (fall
        /// back) for anything else.
        private mutating func plainRange() -> Range<Int>? {
            guard take(0x22) else { return nil }
            let start = at
            while at < bytes.count {
                let b = bytes[at]
                if b == 0x22 {
                    at += 1
                    return start..<(at - 1)
                }
                guard b >= 0x20, b < 0x7F, b != 0x5C else { return nil }
                at += 1
            }
            return nil
        }

        /// Whether the bytes in `range` are exactly `word`'s.
        private func equal(_ range: Range<Int>, _ word: StaticString) -> Bool {
            guard range.count == word.utf8CodeUnitCount else { return false }
            let start = word.utf8Start
            for i in 0..<range.count where bytes[range.lowerBound + i] != start[i] { return false }
            return true
        }

        /// The bytes in `range` as a string (printable ASCII, so never repaired).
        private func text(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            skipSpaceHere()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        private mutating func skipSpaceHere() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 || bytes[at] == 0x0D || bytes[at] == 0x0A {
                at += 1
            }
        }

        private mutating func skipSpace() -> Int {
            skipSpaceHere()
            return at
        }
    }
}
