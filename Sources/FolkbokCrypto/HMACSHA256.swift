/// HMAC-SHA-256 (RFC 2104 with SHA-256 as in RFC 4231).
///
/// Guarantees: the standard 32-byte tag; keys longer than the 64-byte block are hashed first,
/// shorter ones zero-padded, exactly as the RFC says.
public struct HMACSHA256: Sendable {
    /// The hashers after the key's inner and outer pad blocks, reused for every message.
    private let inner: SHA256Hasher
    private let outer: SHA256Hasher

    /// Prepares `key` once, for many messages (saves two of the four block hashes a short
    /// message costs).
    public init(key: [UInt8]) {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256Hasher()
        inner.update(block.map { $0 ^ 0x36 })
        var outer = SHA256Hasher()
        outer.update(block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// The 32-byte tag of `message` under this key.
    public func authenticate(_ message: [UInt8]) -> [UInt8] {
        var inner = self.inner
        inner.update(message)
        var outer = self.outer
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// The 32-byte tag of `message` under `key`.
    /// - Complexity: O(message + key).
    public static func authenticate(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        HMACSHA256(key: key).authenticate(message)
    }
}
