import Glibc

/// The bytes of a whole file, read into an array or mapped read-only (`mmap`, pages taken
/// from the page cache: nothing zeroed, nothing copied), for a reader that needs them only
/// while it parses them (a snapshot at start-up).
///
/// Guarantees: the bytes stay valid and unchanged for the object's lifetime (a mapping is
/// private and read-only, and is unmapped when the object goes); `withUnsafeBytes` may be
/// called from several threads at once.
public final class FileBytes: @unchecked Sendable {
    private let base: UnsafeRawPointer?
    private let array: [UInt8]
    public let count: Int

    /// The bytes of `array`.
    public init(_ array: [UInt8]) {
        self.array = array
        self.base = nil
        self.count = array.count
    }

    private init(mapping: UnsafeRawPointer, count: Int) {
        self.array = []
        self.base = mapping
        self.count = count
    }

    /// Maps the open file `fd` of `size` bytes (> 0); nil if the kernel refuses (the caller
    /// reads the file instead).
    static func map(_ fd: Int32, size: Int) -> FileBytes? {
        guard size > 0 else { return nil }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
        guard let p, p != MAP_FAILED else { return nil }
        return FileBytes(mapping: UnsafeRawPointer(p), count: size)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        guard let base else {
            return try array.withUnsafeBytes { raw in Result { () throws(E) -> R in try body(raw) } }.get()
        }
        return try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
