/// Why bytes are not a valid `PersonStore` image, naming the byte offset within the image and
/// what failed.
///
/// Guarantees: never includes record contents (names, addresses, identities), only structure.
public struct StoreImageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Byte offset within the image of the field or structure that failed.
    public let offset: Int
    /// What failed, e.g. "string id out of range".
    public let problem: String

    public init(offset: Int, problem: String) {
        self.offset = offset
        self.problem = problem
    }

    public var description: String { "store image invalid: \(problem) at image byte \(offset)" }
}
