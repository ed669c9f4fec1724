import FolkbokSync
import Glibc

/// A file system held in memory, for fuzz targets and tests that want the storage code's
/// reading and recovery without the cost of real files.
///
/// Guarantees: every `FileSystem` call behaves as `RealFileSystem`'s does on a fresh local
/// disk, for what the storage layer uses: files are byte arrays that grow with zeros
/// (`pwrite` past the end, `ftruncate`), `pread` stops at the end, `O_CREAT`/`O_EXCL`/
/// `O_TRUNC`/`O_DIRECTORY` and the access mode are honoured, a file's parent directory must
/// exist, `rename` replaces its target, and an unlinked file stays readable through
/// descriptors already open on it. Errors are `FileError`s with the `errno` Linux gives
/// (`ENOENT`, `EEXIST`, `ENOTDIR`, `EISDIR`, `EBADF`, `EINVAL`). There are no crashes to
/// survive, so every write is durable at once and the syncs only check their descriptor.
/// Paths are compared as strings after collapsing repeated and trailing slashes (no `..`, no
/// symbolic links); `/` and `.` always exist. Modes are recorded (`mode(of:)`), never enforced.
/// Files stop at `maximumFileSize` (`EFBIG`).
/// Thread-safe: one lock around all of it.
public final class MemoryFileSystem: FileSystem {
    /// A file's contents, shared by its directory entry and the descriptors open on it.
    private final class Contents {
        var bytes: [UInt8] = []
        var mode: UInt32
        init(mode: UInt32) { self.mode = mode }
    }

    private struct Descriptor {
        let path: String
        /// nil for a directory.
        let contents: Contents?
        let readable: Bool
        let writable: Bool
    }

    private struct Tree {
        var files: [String: Contents] = [:]
        var directories: Set<String> = ["/", "."]
        var descriptors: [Int32: Descriptor] = [:]
        var nextDescriptor: Int32 = 3
    }

    private let tree = Locked(Tree())

    /// The largest file, in bytes: a write or truncation past it fails with `EFBIG` instead of
    /// asking for that much memory (a real disk would keep the file sparse).
    public static let maximumFileSize = 1 << 32

    /// An empty file system: only `/` and `.` exist.
    public init() {}

    /// The mode `path` was created with, nil if no such file exists.
    public func mode(of path: String) -> UInt32? {
        let path = Self.normalized(path)
        return tree.withLock { $0.files[path]?.mode }
    }

    /// Creates `path` (or replaces its contents) holding `bytes`, with mode `FileModes.file`:
    /// how a fuzz target or test puts a file in place. Its directory must exist.
    public func writeFile(_ path: String, _ bytes: [UInt8]) throws(FileError) {
        let fd = try open(path, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: FileModes.file)
        defer { close(fd) }
        try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try pwrite(fd, raw, at: 0) } }.get()
    }

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(FileError) -> Int32 {
        let path = Self.normalized(path)
        let access = flags & O_ACCMODE
        let readable = access == O_RDONLY || access == O_RDWR
        let writable = access == O_WRONLY || access == O_RDWR
        return try tree.withLock { (t) throws(FileError) -> Int32 in
            func fail(_ code: Int32) -> FileError { FileError(path: path, operation: "open", errno: code) }
            let contents: Contents?
            if t.directories.contains(path) {
                if flags & O_CREAT != 0 && flags & O_EXCL != 0 { throw fail(EEXIST) }
                if writable { throw fail(EISDIR) }
                contents = nil
            } else if flags & O_DIRECTORY != 0 {
                throw fail(t.files[path] == nil ? ENOENT : ENOTDIR)
            } else if let existing = t.files[path] {
                if flags & O_CREAT != 0 && flags & O_EXCL != 0 { throw fail(EEXIST) }
                if flags & O_TRUNC != 0 && writable { existing.bytes = [] }
                contents = existing
            } else {
                guard flags & O_CREAT != 0 else { throw fail(ENOENT) }
                let parent = Self.parent(of: path)
                guard t.directories.contains(parent) else { throw fail(t.files[parent] == nil ? ENOENT : ENOTDIR) }
                let created = Contents(mode: mode)
                t.files[path] = created
                contents = created
            }
            let fd = t.nextDescriptor
            t.nextDescriptor += 1
            t.descriptors[fd] = Descriptor(path: path, contents: contents, readable: readable, writable: writable)
            return fd
        }
    }

    public func close(_ fd: Int32) {
        _ = tree.withLock { $0.descriptors.removeValue(forKey: fd) }
    }

    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError) {
        let file = try writableFile(fd, "pwrite")
        guard offset >= 0, let start = Int(exactly: offset) else {
            throw FileError(path: file.path, operation: "pwrite", errno: EINVAL)
        }
        guard start <= Self.maximumFileSize - bytes.count else {
            throw FileError(path: file.path, operation: "pwrite", errno: EFBIG)
        }
        tree.withLock { _ in
            let end = start + bytes.count
            if file.contents.bytes.count < end {
                file.contents.bytes += repeatElement(0, count: end - file.contents.bytes.count)
            }
            file.contents.bytes.withUnsafeMutableBytes { target in
                UnsafeMutableRawBufferPointer(rebasing: target[start..<end]).copyMemory(from: bytes)
            }
        }
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileError)
        -> Int
    {
        let descriptor = try self.descriptor(fd, "pread")
        guard descriptor.readable else { throw FileError(path: descriptor.path, operation: "pread", errno: EBADF) }
        guard let contents = descriptor.contents else {
            throw FileError(path: descriptor.path, operation: "pread", errno: EISDIR)
        }
        guard offset >= 0 else { throw FileError(path: descriptor.path, operation: "pread", errno: EINVAL) }
        return tree.withLock { _ in
            guard offset < Int64(contents.bytes.count) else { return 0 }
            let start = Int(offset)
            let n = min(buffer.count, contents.bytes.count - start)
            contents.bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + n)]))
            }
            return n
        }
    }

    public func fdatasync(_ fd: Int32) throws(FileError) {
        _ = try descriptor(fd, "fdatasync")
    }

    public func fsync(_ fd: Int32) throws(FileError) {
        _ = try descriptor(fd, "fsync")
    }

    public func ftruncate(_ fd: Int32, _ size: Int64) throws(FileError) {
        let file = try writableFile(fd, "ftruncate")
        guard size >= 0, let count = Int(exactly: size) else {
            throw FileError(path: file.path, operation: "ftruncate", errno: EINVAL)
        }
        guard count <= Self.maximumFileSize else {
            throw FileError(path: file.path, operation: "ftruncate", errno: EFBIG)
        }
        tree.withLock { _ in
            if count < file.contents.bytes.count {
                file.contents.bytes.removeLast(file.contents.bytes.count - count)
            } else {
                file.contents.bytes += repeatElement(0, count: count - file.contents.bytes.count)
            }
        }
    }

    public func fileSize(_ fd: Int32) throws(FileError) -> Int64 {
        let descriptor = try self.descriptor(fd, "fstat")
        return tree.withLock { _ in Int64(descriptor.contents?.bytes.count ?? 0) }
    }

    public func rename(_ from: String, _ to: String) throws(FileError) {
        let from = Self.normalized(from)
        let to = Self.normalized(to)
        try tree.withLock { (t) throws(FileError) in
            func fail(_ code: Int32) -> FileError { FileError(path: from, operation: "rename to \(to)", errno: code) }
            // Directories are never renamed by the storage layer; refusing keeps the tree simple.
            if t.directories.contains(from) { throw fail(EISDIR) }
            guard let contents = t.files[from] else { throw fail(ENOENT) }
            if t.directories.contains(to) { throw fail(EISDIR) }
            guard t.directories.contains(Self.parent(of: to)) else { throw fail(ENOENT) }
            t.files[from] = nil
            t.files[to] = contents
        }
    }

    public func unlink(_ path: String) throws(FileError) {
        let path = Self.normalized(path)
        try tree.withLock { (t) throws(FileError) in
            if t.directories.contains(path) { throw FileError(path: path, operation: "unlink", errno: EISDIR) }
            guard t.files.removeValue(forKey: path) != nil else {
                throw FileError(path: path, operation: "unlink", errno: ENOENT)
            }
        }
    }

    public func list(_ directory: String) throws(FileError) -> [String] {
        let directory = Self.normalized(directory)
        return try tree.withLock { (t) throws(FileError) -> [String] in
            guard t.directories.contains(directory) else {
                throw FileError(
                    path: directory, operation: "opendir", errno: t.files[directory] == nil ? ENOENT : ENOTDIR)
            }
            let children =
                t.files.keys.filter { Self.parent(of: $0) == directory }
                + t.directories.filter { $0 != directory && Self.parent(of: $0) == directory }
            return children.map { Self.name(of: $0) }
        }
    }

    public func makeDirectory(_ path: String) throws(FileError) {
        let path = Self.normalized(path)
        try tree.withLock { (t) throws(FileError) in
            var prefix = path.hasPrefix("/") ? "/" : ""
            for part in path.split(separator: "/") where part != "." {
                prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + part
                if t.files[prefix] != nil { throw FileError(path: prefix, operation: "mkdir", errno: ENOTDIR) }
                t.directories.insert(prefix)
            }
        }
    }

    public func syncDirectory(_ path: String) throws(FileError) {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY, mode: 0)
        close(fd)
    }

    /// The open descriptor `fd`, or `EBADF`.
    private func descriptor(_ fd: Int32, _ operation: String) throws(FileError) -> Descriptor {
        guard let descriptor = tree.withLock({ $0.descriptors[fd] }) else {
            throw FileError(path: "fd \(fd)", operation: operation, errno: EBADF)
        }
        return descriptor
    }

    /// The file open for writing behind `fd`, or `EBADF` (as Linux): a directory opens only
    /// read-only, so it never gets past this.
    private func writableFile(_ fd: Int32, _ operation: String) throws(FileError) -> (path: String, contents: Contents)
    {
        let descriptor = try self.descriptor(fd, operation)
        guard descriptor.writable, let contents = descriptor.contents else {
            throw FileError(path: descriptor.path, operation: operation, errno: EBADF)
        }
        return (descriptor.path, contents)
    }

    /// `path` with repeated slashes collapsed, a trailing slash removed and a leading `./`
    /// dropped (so `./a` and `a` are one file).
    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts = path.split(separator: "/", omittingEmptySubsequences: true)
        while parts.count > 1 && parts.first == "." { parts.removeFirst() }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The directory holding a normalized `path`: `/` for `/a`, `.` for `a`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of a normalized `path`.
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
