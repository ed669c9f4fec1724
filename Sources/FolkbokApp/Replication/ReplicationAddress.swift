import FolkbokCrypto
import Foundation
import Glibc

/// Where a replication link goes: a Unix socket path (anything with a `/`) or TCP `HOST:PORT`
/// (HOST an IPv4 address or `localhost`).
enum ReplicationAddress: Sendable, Equatable {
    case unix(String)
    case tcp(host: String, port: UInt16)

    /// nil when `text` is neither a path nor `HOST:PORT`.
    init?(_ text: String) {
        if text.contains("/") {
            self = .unix(text)
            return
        }
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0 else {
            return nil
        }
        let host = String(text[..<colon])
        let numeric = host == "localhost" ? "127.0.0.1" : host
        var probe = in_addr()
        guard inet_pton(AF_INET, numeric, &probe) == 1 else { return nil }
        self = .tcp(host: numeric, port: port)
    }

    var isTCP: Bool { if case .tcp = self { true } else { false } }

    func sockaddrIn() -> sockaddr_in? {
        guard case .tcp(let host, let port) = self else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(port.bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        return address
    }

    /// A listening socket.
    func listen() throws -> Int32 {
        switch self {
        case .unix(let path): return try UnixSocket.listen(path)
        case .tcp(let host, let port):
            var address = sockaddrIn()!
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                throw AppStartError("cannot create the replication socket: \(String(cString: strerror(errno)))")
            }
            var one: Int32 = 1
            _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0, Glibc.listen(fd, 16) == 0 else {
                let reason = String(cString: strerror(errno))
                Glibc.close(fd)
                throw AppStartError("cannot listen for replicas on \(host):\(port): \(reason)")
            }
            return fd
        }
    }

    /// A connected socket.
    func connect() throws -> Int32 {
        switch self {
        case .unix(let path): return try UnixSocket.connect(path)
        case .tcp(let host, let port):
            var address = sockaddrIn()!
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                throw FrameSocket.LinkError(description: "cannot create a socket: \(String(cString: strerror(errno)))")
            }
            let done = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard done == 0 else {
                let reason = String(cString: strerror(errno))
                Glibc.close(fd)
                throw FrameSocket.LinkError(description: "cannot connect to \(host):\(port): \(reason)")
            }
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return fd
        }
    }
}

/// `--replication-key FILE`: the secret both ends of a TCP link prove they hold.
///
/// Guarantees: `load` refuses a file shorter than 32 bytes, not owned by the server's user, or
/// with a mode other than 0600 or 0400, with a sentence naming the reason.
struct ReplicationKey: Sendable {
    let bytes: [UInt8]

    static func load(_ path: String) throws(AppStartError) -> ReplicationKey {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw AppStartError("--replication-key \(path): \(String(cString: strerror(errno)))")
        }
        guard st.st_uid == getuid() else {
            throw AppStartError("--replication-key \(path) must be owned by the server's user (uid \(getuid()))")
        }
        let mode = st.st_mode & 0o777
        guard mode == 0o600 || mode == 0o400 else {
            throw AppStartError("--replication-key \(path) has mode \(String(mode, radix: 8)); it must be 0600 or 0400")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppStartError("--replication-key \(path) cannot be read")
        }
        guard data.count >= 32 else {
            throw AppStartError("--replication-key \(path) holds \(data.count) bytes; it needs at least 32")
        }
        return ReplicationKey(bytes: Array(data))
    }
}

/// The HMAC-SHA-256 challenge on a TCP link and the per-frame tags after it.
///
/// Guarantees: each side proves it holds the key over both sides' fresh 32-byte nonces before
/// anything else is sent (a primary sends a peer without the key nothing but its challenge);
/// afterwards every frame carries a tag under a per-link key over its direction, its sequence
/// number and its bytes, so a changed, dropped, replayed or reordered frame fails the check.
struct FrameAuth: Sendable {
    let sender: HMACSHA256
    let receiver: HMACSHA256
    /// 0: primary → replica, 1: replica → primary.
    let sendDirection: UInt8
    static let tagBytes = 32

    static func nonce() -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func proof(_ role: String, _ key: ReplicationKey, _ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(Array("folkbok-replication \(role)".utf8) + first + second, key: key.bytes)
    }

    init(key: ReplicationKey, primaryNonce: [UInt8], replicaNonce: [UInt8], isPrimary: Bool) {
        let session = HMACSHA256.authenticate(
            Array("folkbok-replication session".utf8) + primaryNonce + replicaNonce, key: key.bytes)
        let mac = HMACSHA256(key: session)
        sender = mac
        receiver = mac
        sendDirection = isPrimary ? 0 : 1
    }

    func tag(direction: UInt8, sequence: UInt64, frame: ArraySlice<UInt8>) -> [UInt8] {
        var message: [UInt8] = [direction]
        message.appendLittleEndian(sequence)
        message.append(contentsOf: frame)
        return sender.authenticate(message)
    }

    /// The primary's side of the challenge; false (after sending nothing more) when the peer
    /// does not prove it holds the key.
    static func acceptPeer(_ socket: FrameSocket, key: ReplicationKey) throws -> Bool {
        let mine = nonce()
        try socket.send(ReplicationFrame(kind: .challenge, body: mine))
        guard let answer = try socket.next(timeout: 10), answer.kind == .proof, answer.body.count == 64 else {
            return false
        }
        let theirs = Array(answer.body[0..<32])
        guard constantTimeEqual(Array(answer.body[32...]), proof("replica", key, mine, theirs)) else { return false }
        try socket.send(ReplicationFrame(kind: .proof, body: proof("primary", key, theirs, mine)))
        socket.authenticate(with: FrameAuth(key: key, primaryNonce: mine, replicaNonce: theirs, isPrimary: true))
        return true
    }

    /// The replica's side of the challenge; throws when the primary does not prove it holds the key.
    static func proveToPrimary(_ socket: FrameSocket, key: ReplicationKey) throws {
        guard let challenge = try socket.next(timeout: 10), challenge.kind == .challenge, challenge.body.count == 32
        else {
            throw FrameSocket.LinkError(
                description: "the primary sent no challenge (is it a TCP replication address with a key?)")
        }
        let mine = nonce()
        try socket.send(ReplicationFrame(kind: .proof, body: mine + proof("replica", key, challenge.body, mine)))
        guard let answer = try socket.next(timeout: 10), answer.kind == .proof,
            constantTimeEqual(answer.body, proof("primary", key, mine, challenge.body))
        else {
            throw FrameSocket.LinkError(description: "the primary did not prove it holds the replication key")
        }
        socket.authenticate(
            with: FrameAuth(key: key, primaryNonce: challenge.body, replicaNonce: mine, isPrimary: false))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// How a node reaches its primary: the address and, over TCP, the key.
struct ReplicationEndpoint: Sendable {
    let address: ReplicationAddress
    let key: ReplicationKey?

    /// A connected link, authenticated over TCP.
    func connect() throws -> FrameSocket {
        let socket = FrameSocket(fd: try address.connect())
        if address.isTCP {
            guard let key else { throw FrameSocket.LinkError(description: "TCP replication needs --replication-key") }
            try FrameAuth.proveToPrimary(socket, key: key)
        }
        return socket
    }
}
