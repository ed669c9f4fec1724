import Glibc

/// Why the server must not use a data directory; the text says what the operator should do.
public struct DataDirectoryError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The start-up check of `--data`: the register stays readable and writable by the server's
/// own user only (docs/PROTOCOL.md, "Files, disks and permissions").
///
/// Guarantees of `prepare`: it creates a missing directory (and parents) 0700; before reading
/// or changing anything inside, it refuses a directory (or the directory a symbolic link given
/// as `--data` points to) that another user owns or that group or others may write to, and
/// anything that is not a directory; then it clears the group and other
/// bits of every regular file and directory below it (symbolic links are not followed, sockets
/// and other special files are left alone) and returns how many it narrowed. It sets the
/// process umask to 077, so files made by means other than `FileSystem` (Foundation) are
/// owner-only too; the explicit modes of `FileModes` do not depend on it.
public enum DataDirectoryPermissions {
    /// Checks and narrows `path`; returns the number of files and directories narrowed.
    /// - Complexity: one `lstat` per entry below `path`.
    public static func prepare(_ path: String) throws(DataDirectoryError) -> Int {
        umask(mode_t(FileModes.groupAndOther))
        do { try RealFileSystem().makeDirectory(path) } catch {
            throw DataDirectoryError(description: "cannot create the data directory \(path): \(error)")
        }
        try check(path)
        return try narrow(path)
    }

    /// Refuses a data directory another user could change.
    static func check(_ path: String) throws(DataDirectoryError) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw DataDirectoryError(
                description: "cannot inspect the data directory \(path): \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & S_IFMT == S_IFDIR else {
            throw DataDirectoryError(
                description: "the data directory \(path) is not a directory; give --data a directory")
        }
        let uid = geteuid()
        guard st.st_uid == uid else {
            throw DataDirectoryError(
                description: """
                    refusing to start: the data directory \(path) belongs to uid \(st.st_uid), not to the server's user (uid \(uid)); \
                    another user could change the register. Run the server as its owner, or `chown \(uid) \(path)` and `chmod 700 \(path)`.
                    """)
        }
        if st.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            let mode = String(st.st_mode & 0o7777, radix: 8)
            throw DataDirectoryError(
                description: """
                    refusing to start: the data directory \(path) has mode \(mode), so other users can write to it and change the \
                    register. Run `chmod 700 \(path)` and start again.
                    """)
        }
    }

    /// Clears group and other bits below (and on) `path`; returns how many entries changed.
    static func narrow(_ path: String) throws(DataDirectoryError) -> Int {
        var narrowed = 0
        var pending = [path]
        while let current = pending.popLast() {
            var st = stat()
            // The data directory itself may be a symbolic link to the real one; below it none is followed.
            guard (current == path ? stat(current, &st) : lstat(current, &st)) == 0 else {
                if errno == ENOENT { continue }
                throw DataDirectoryError(description: "cannot inspect \(current): \(String(cString: strerror(errno)))")
            }
            let kind = st.st_mode & S_IFMT
            guard kind == S_IFDIR || kind == S_IFREG else { continue }
            if st.st_mode & mode_t(FileModes.groupAndOther) != 0 {
                guard chmod(current, st.st_mode & 0o7700) == 0 else {
                    throw DataDirectoryError(
                        description: """
                            cannot narrow the permissions of \(current) (\(String(cString: strerror(errno)))); \
                            run `chmod -R go-rwx \(path)` as its owner
                            """)
                }
                narrowed += 1
            }
            if kind == S_IFDIR {
                let names: [String]
                do { names = try RealFileSystem().list(current) } catch {
                    throw DataDirectoryError(description: "cannot list \(current): \(error)")
                }
                pending.append(contentsOf: names.map { current + "/" + $0 })
            }
        }
        return narrowed
    }
}
