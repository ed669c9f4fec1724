/// SHA-256 (FIPS 180-4), one-shot.
///
/// Guarantees: the standard SHA-256 digest (32 bytes) of exactly the bytes given, identical to
/// feeding the same bytes to `SHA256Hasher` in any split.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    /// - Complexity: O(n).
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}
