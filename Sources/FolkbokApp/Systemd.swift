import CFolkbokSys
import Glibc

/// systemd socket activation with `sd_listen_fds` semantics, without libsystemd.
public enum SocketActivation {
    /// The first descriptor systemd passes.
    static let firstDescriptor: Int32 = 3

    /// The listening socket systemd handed in, or nil when none was handed to this process.
    ///
    /// Guarantees: descriptors count from 3 and are taken only when `LISTEN_PID` names this
    /// process; `LISTEN_PID`, `LISTEN_FDS` and `LISTEN_FDNAMES` are removed from the
    /// environment either way, so nothing this process starts takes them for its own.
    /// More than one socket, or a `LISTEN_FDS` that is not a count, is an error.
    public static func listener() throws(AppStartError) -> Int32? {
        let pid = environment("LISTEN_PID"), count = environment("LISTEN_FDS")
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        guard let pid, let count, Int32(pid) == getpid() else { return nil }
        guard let sockets = Int(count), sockets >= 0 else {
            throw AppStartError("LISTEN_FDS must be a count of sockets, not \"\(count)\"")
        }
        switch sockets {
        case 0: return nil
        case 1: return firstDescriptor
        default:
            throw AppStartError(
                "systemd passed \(sockets) sockets; folkbok serves one (give folkbok.socket one ListenStream=)")
        }
    }

    private static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

/// Tells systemd how the service is doing through `NOTIFY_SOCKET` (`sd_notify`): a datagram
/// AF_UNIX socket at a path, or an abstract name when the address starts with '@'.
/// Guarantees: one datagram per state; a failure is answered, never fatal.
struct ServiceNotifier: Sendable {
    let address: String

    /// Sends e.g. `READY=1`; answers the error text when the datagram could not be sent.
    func send(_ state: String) -> String? {
        fb_notify_datagram(address, state) == 0 ? nil : String(cString: strerror(errno))
    }
}
