import Glibc

extension FileSystem {
    /// Replaces the file at `path` with what `write` puts into a new one, atomically (STYLE.md
    /// §9, after Redis `rdbSave`): `<path>.tmp` is created (or truncated) with mode
    /// `FileModes.file`, `write` fills it through this file system, it is fsynced and closed,
    /// renamed over `path`, and the directory holding `path` is fsynced. A caller replacing
    /// several files passes `syncingDirectory: false` and syncs the directory once after the last.
    ///
    /// Guarantees: the descriptor is closed here, exactly once, whatever fails (`write` must not
    /// close it). If creating, writing, syncing or renaming fails, the temporary file is removed
    /// as far as the disk allows and `path` is untouched: it holds the old file, or nothing. If
    /// only the directory sync fails, `path` already holds the complete new file but its rename
    /// may not survive a crash; the error is thrown so the caller does not count on it.
    /// - Returns: what `write` returned.
    public func replaceAtomically<Value>(
        _ path: String, syncingDirectory: Bool = true, write: (Int32) throws(FileError) -> Value
    ) throws(FileError) -> Value {
        let temporary = path + ".tmp"
        let fd = try open(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: FileModes.file)
        let value: Value
        do throws(FileError) {
            defer { close(fd) }
            value = try write(fd)
            try fsync(fd)
        } catch {
            try? unlink(temporary)
            throw error
        }
        do throws(FileError) {
            try rename(temporary, path)
        } catch {
            try? unlink(temporary)
            throw error
        }
        if syncingDirectory { try syncDirectory(Self.directory(holding: path)) }
        return value
    }

    /// The directory part of `path` (`.` for a bare name, `/` for a file in the root).
    static func directory(holding path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
