import CFolkbokSys
import Glibc

/// Creates the listening Unix socket: mode 0660, a stale socket file from a dead server is
/// replaced, a live one (something accepts connections on it) is refused.
enum Listener {
    static func open(path: String) throws(ServerStartError) -> Int32 {
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                throw ServerStartError(
                    description: "\(path) exists and is not a socket; remove it or choose another --socket")
            }
            let probe = fb_unix_connect(path)
            if probe >= 0 {
                close(probe)
                throw ServerStartError(description: "another server is already listening on \(path)")
            }
            unlink(path)
        }
        let fd = fb_unix_listen(path, 1024, 0o660)
        guard fd >= 0 else {
            throw ServerStartError(description: "cannot listen on \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    /// Checks that an inherited descriptor is a listening AF_UNIX stream socket and makes it
    /// non-blocking and close-on-exec; answers its path ("an unnamed socket" when it has none).
    static func adopt(_ fd: Int32) throws(ServerStartError) -> String {
        var path = [CChar](repeating: 0, count: 128)
        switch fb_adopt_unix_listener(fd, &path, path.count) {
        case 1:
            let name = String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return name.isEmpty ? "an unnamed socket" : name
        case 0:
            throw ServerStartError(
                description: "the socket handed in as descriptor \(fd) is not a listening Unix stream socket")
        default:
            throw ServerStartError(
                description: "cannot use the socket handed in as descriptor \(fd): \(String(cString: strerror(errno)))")
        }
    }

    /// Raises the open-file limit to its hard maximum so a thousand clients fit.
    static func raiseFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
