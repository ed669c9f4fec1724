import Glibc

/// The one seam every file operation of the storage layer passes, so tests can inject faults.
///
/// Guarantees expected of conformers: `pwrite` writes every byte or throws (it retries
/// `EINTR` and short writes itself); `pread` fills the buffer unless end of file comes first
/// and returns the number of bytes read; errors name the path and operation, never data.
public protocol FileSystem: Sendable {
    /// Opens `path` (`open(2)` flags and mode); returns the descriptor. With `O_CREAT` the
    /// file ends up with exactly `mode` (the umask cannot widen or narrow it).
    func open(_ path: String, flags: Int32, mode: UInt32) throws(FileError) -> Int32
    /// Closes a descriptor; errors are ignored (there is nothing useful to do about them).
    func close(_ fd: Int32)
    /// Writes all of `bytes` at `offset`, or throws.
    func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError)
    /// Reads up to `into.count` bytes at `offset`; fewer only at end of file.
    func pread(_ fd: Int32, into: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileError) -> Int
    /// Makes written data (and the metadata needed to read it) durable.
    func fdatasync(_ fd: Int32) throws(FileError)
    /// Makes written data and all metadata durable.
    func fsync(_ fd: Int32) throws(FileError)
    /// Sets the file's size (extending with zeros).
    func ftruncate(_ fd: Int32, _ size: Int64) throws(FileError)
    /// The file's current size in bytes.
    func fileSize(_ fd: Int32) throws(FileError) -> Int64
    /// Atomically renames `from` to `to` (replacing `to`).
    func rename(_ from: String, _ to: String) throws(FileError)
    /// Removes a file.
    func unlink(_ path: String) throws(FileError)
    /// The names (not paths) of the entries in `directory`, without `.` and `..`, unsorted.
    func list(_ directory: String) throws(FileError) -> [String]
    /// Creates `path` (and missing parents) with mode `FileModes.directory`, whatever the umask;
    /// succeeds if it already is a directory (leaving its mode alone).
    func makeDirectory(_ path: String) throws(FileError)
    /// Makes the directory's entries (creations, renames, removals) durable.
    func syncDirectory(_ path: String) throws(FileError)
    /// The whole file at `path` (default: `readWholeFile`; the real file system maps it).
    func mapWholeFile(_ path: String) throws(FileError) -> FileBytes
}

/// The modes of everything the server creates under its data directory: owner only, because
/// the files hold the register (docs/PROTOCOL.md, "Files, disks and permissions").
public enum FileModes {
    /// Every file: read and write for the owner, nothing for anyone else.
    public static let file: UInt32 = 0o600
    /// Every directory: the owner only.
    public static let directory: UInt32 = 0o700
    /// The bits that must never be set on anything under the data directory.
    public static let groupAndOther: UInt32 = 0o077
}

extension FileSystem {
    /// The whole file at `path`, as `readWholeFile` reads it (RealFileSystem maps it instead).
    public func mapWholeFile(_ path: String) throws(FileError) -> FileBytes { FileBytes(try readWholeFile(path)) }

    /// Reads the whole file at `path` into a new array with one `pread`.
    /// - Complexity: O(file size).
    public func readWholeFile(_ path: String) throws(FileError) -> [UInt8] {
        let fd = try open(path, flags: O_RDONLY, mode: 0)
        defer { close(fd) }
        let size = try fileSize(fd)
        // An empty file gets the plain empty array: `unsafeUninitializedCapacity: 0` writes into
        // the shared empty-array storage, a race TSan reports when files are read at once.
        var bytes = size == 0 ? [] : [UInt8](unsafeUninitializedCapacity: Int(size)) { _, count in count = Int(size) }
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in try pread(fd, into: buffer, at: 0) }
        }.get()
        if got < bytes.count { bytes.removeLast(bytes.count - got) }
        return bytes
    }
}
