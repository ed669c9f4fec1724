import Glibc

/// A failed file-system call: which file, which operation, and the `errno` it returned.
///
/// Guarantees: names only the path and the operation, never file contents, so it is safe
/// to log.
public struct FileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let operation: String
    public let errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "\(operation) failed for \(path): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
