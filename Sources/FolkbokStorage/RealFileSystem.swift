import Glibc

/// The file system through plain POSIX calls.
///
/// Guarantees: every call retries `EINTR`; `pwrite` loops over short writes; descriptors
/// are opened close-on-exec; files it creates get exactly the mode asked for and directories
/// `FileModes.directory`, whatever the umask.
public struct RealFileSystem: FileSystem {
    public init() {}

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(FileError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode_t(mode))
            if fd >= 0 {
                // The umask may have taken bits off `mode`: set it exactly.
                if flags & O_CREAT != 0 && fchmod(fd, mode_t(mode)) != 0 {
                    let code = errno
                    _ = Glibc.close(fd)
                    throw FileError(path: path, operation: "fchmod", errno: code)
                }
                return fd
            }
            if errno != EINTR { throw FileError(path: path, operation: "open", errno: errno) }
        }
    }

    public func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n > 0 {
                done += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                throw FileError(path: Self.describe(fd), operation: "pwrite", errno: n == 0 ? EIO : errno)
            }
        }
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileError)
        -> Int
    {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n > 0 {
                done += n
            } else if n == 0 {
                break
            } else if errno != EINTR {
                throw FileError(path: Self.describe(fd), operation: "pread", errno: errno)
            }
        }
        return done
    }

    public func fdatasync(_ fd: Int32) throws(FileError) {
        try Self.retry(fd, "fdatasync") { Glibc.fdatasync(fd) }
    }

    public func fsync(_ fd: Int32) throws(FileError) {
        try Self.retry(fd, "fsync") { Glibc.fsync(fd) }
    }

    public func ftruncate(_ fd: Int32, _ size: Int64) throws(FileError) {
        try Self.retry(fd, "ftruncate") { Glibc.ftruncate(fd, off_t(size)) }
    }

    public func fileSize(_ fd: Int32) throws(FileError) -> Int64 {
        var st = stat()
        try Self.retry(fd, "fstat") { fstat(fd, &st) }
        return Int64(st.st_size)
    }

    /// Maps the file read-only (falls back to reading it if the kernel refuses). Snapshot
    /// files are written once under a temporary name and renamed, never changed in place, so
    /// the mapping sees a complete file.
    public func mapWholeFile(_ path: String) throws(FileError) -> FileBytes {
        let fd = try open(path, flags: O_RDONLY, mode: 0)
        defer { close(fd) }
        if let mapped = FileBytes.map(fd, size: Int(try fileSize(fd))) { return mapped }
        return FileBytes(try readWholeFile(path))
    }

    public func rename(_ from: String, _ to: String) throws(FileError) {
        if Glibc.rename(from, to) != 0 { throw FileError(path: from, operation: "rename to \(to)", errno: errno) }
    }

    public func unlink(_ path: String) throws(FileError) {
        if Glibc.unlink(path) != 0 { throw FileError(path: path, operation: "unlink", errno: errno) }
    }

    public func list(_ directory: String) throws(FileError) -> [String] {
        guard let dir = opendir(directory) else { throw FileError(path: directory, operation: "opendir", errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func makeDirectory(_ path: String) throws(FileError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, mode_t(FileModes.directory)) == 0 {
                if chmod(prefix, mode_t(FileModes.directory)) != 0 {
                    throw FileError(path: prefix, operation: "chmod", errno: errno)
                }
            } else if errno != EEXIST {
                throw FileError(path: prefix, operation: "mkdir", errno: errno)
            }
        }
        var st = stat()
        if stat(path, &st) != 0 { throw FileError(path: path, operation: "stat", errno: errno) }
        if st.st_mode & S_IFMT != S_IFDIR { throw FileError(path: path, operation: "mkdir", errno: ENOTDIR) }
    }

    public func syncDirectory(_ path: String) throws(FileError) {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY, mode: 0)
        defer { close(fd) }
        do { try fsync(fd) } catch { throw FileError(path: path, operation: "fsync (directory)", errno: error.errno) }
    }

    /// Runs a call returning -1 on error until it succeeds or fails with something other than EINTR.
    private static func retry(_ fd: Int32, _ operation: String, _ call: () -> Int32) throws(FileError) {
        while call() != 0 {
            if errno != EINTR { throw FileError(path: describe(fd), operation: operation, errno: errno) }
        }
    }

    /// The path behind a descriptor (from /proc), for error messages.
    static func describe(_ fd: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0 else { return "fd \(fd)" }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
