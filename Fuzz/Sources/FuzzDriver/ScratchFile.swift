import Glibc

/// One file in a directory of this process's own under the temporary directory, for targets
/// whose code under test reads files. The directory is made on first use (mode 0700) and
/// removed with the file when the process exits normally.
public enum ScratchFile {
    /// The directory, made on first use; traps if it cannot be (the environment is broken).
    public static let directory: String = {
        var template = Array("/tmp/folkbok-fuzz-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { fatalError("mkdtemp failed: errno \(errno)") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        atexit { ScratchFile.removeAll() }
        return path
    }()

    /// Names written so far, for `removeAll`.
    nonisolated(unsafe) private static var names: Set<String> = []

    /// Replaces the file `name` in `directory` with `bytes` and answers its path.
    public static func write(_ name: String, _ bytes: UnsafeRawBufferPointer) -> String {
        let path = directory + "/" + name
        names.insert(name)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot create the scratch file: errno \(errno)") }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            guard n > 0 else { fatalError("cannot write the scratch file: errno \(errno)") }
            offset += n
        }
        close(fd)
        return path
    }

    private static func removeAll() {
        for name in names { unlink(directory + "/" + name) }
        rmdir(directory)
    }
}
