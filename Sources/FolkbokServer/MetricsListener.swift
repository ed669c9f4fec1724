import FolkbokProtocol
import Glibc

/// `--metrics-listen [HOST:]PORT`: serves the metrics text (`Service.metricsText`) at
/// `GET /metrics` over a minimal HTTP/1.1 responder of its own, on a TCP socket (HOST an IPv4
/// address or `localhost`; 127.0.0.1 when absent).
///
/// Guarantees: one thread of its own answers one connection at a time and closes it after the
/// answer (`Connection: close`), so it never runs on, blocks or slows an event loop; it serves
/// nothing but `GET /metrics` (also with a query string): 404 for any other path, 405 (with
/// `Allow: GET`) for another method on it, 400 for a request that is not HTTP/1.x, has a
/// malformed line, or whose head passes `maxRequestBytes`; a client that sends nothing for
/// `timeoutSeconds` is dropped (after a partial head, with a 400). A request body is never
/// interpreted.
public final class MetricsListener: Sendable {
    /// The bytes a request head may take (request line and headers).
    public static let maxRequestBytes = 8192
    /// How long one client may take to send its request or read the answer.
    public static let timeoutSeconds = 2

    /// The address bound (dotted IPv4) and the port (the kernel's choice when 0 was asked).
    public let host: String
    public let port: Int
    private let fd: Int32
    private let service: Service

    /// Binds and listens on `spec` (`[HOST:]PORT`) and starts answering on a thread of its own.
    public init(listen spec: String, service: Service) throws(ServerStartError) {
        let (host, requestedPort) = try Self.parse(spec)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(requestedPort).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw ServerStartError(description: "--metrics-listen: \(host) is not an IPv4 address")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw ServerStartError(description: "--metrics-listen: cannot create a socket: \(Self.lastError)")
        }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = Self.lastError
            close(fd)
            throw ServerStartError(
                description: "--metrics-listen: cannot listen on \(host):\(requestedPort): \(reason)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.host = host
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        self.fd = fd
        self.service = service
        _ = EventLoopThread { [self] in serve() }
    }

    /// Where a scraper finds the metrics.
    public var url: String { "http://\(host):\(port)/metrics" }

    /// Stops accepting; the thread ends after the connection it is answering, if any.
    public func stop() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// `[HOST:]PORT` → (dotted IPv4 host, port).
    static func parse(_ spec: String) throws(ServerStartError) -> (host: String, port: Int) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let port = Int(parts.last!), (0...65535).contains(port) else {
            throw ServerStartError(
                description: "--metrics-listen takes [HOST:]PORT (an IPv4 address or localhost, and a port 0 to 65535)")
        }
        let host = parts.count == 2 ? String(parts[0]) : "127.0.0.1"
        guard !host.isEmpty else {
            throw ServerStartError(description: "--metrics-listen: the host before ':' is empty")
        }
        return (host == "localhost" ? "127.0.0.1" : host, port)
    }

    private static var lastError: String { String(cString: strerror(errno)) }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE || errno == ENOBUFS
                    || errno == ENOMEM
                {
                    if errno != EINTR && errno != ECONNABORTED { usleep(100_000) }
                    continue
                }
                close(fd)
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            var timeout = timeval(tv_sec: Self.timeoutSeconds, tv_usec: 0)
            _ = setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            _ = setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if let head = readHead(client) {
                send(answer(to: head), to: client)
                drainAfterAnswer(client)
            }
            close(client)
        }
    }

    /// The request head (up to the blank line), `.tooLong` past the limit, nil when the client
    /// sent nothing (or went silent before a whole head: then it gets a 400).
    private func readHead(_ client: Int32) -> RequestHead? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return bytes.isEmpty ? nil : .malformed }
            let searchFrom = max(0, bytes.count - 3)
            bytes += buffer[0..<n]
            if let end = Self.headEnd(bytes, from: searchFrom) {
                return end > Self.maxRequestBytes ? .tooLong : .complete(Array(bytes[0..<end]))
            }
            if bytes.count > Self.maxRequestBytes { return .tooLong }
        }
    }

    /// Where the blank line ending the head begins (CRLF CRLF, or a bare LF LF).
    static func headEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i }
            if i + 3 < bytes.count && bytes[i] == 0x0D && bytes[i + 1] == 0x0A && bytes[i + 2] == 0x0D
                && bytes[i + 3] == 0x0A
            {
                return i
            }
            i += 1
        }
        return nil
    }

    enum RequestHead {
        case complete([UInt8])
        case malformed
        case tooLong
    }

    /// The response to a request head (status line, headers, body).
    func answer(to head: RequestHead) -> [UInt8] {
        guard case .complete(let bytes) = head else { return Self.response(400, "Bad Request", "bad request\n") }
        // Lines split on the bytes: in a Swift string "\r\n" is one character, not a "\n".
        var lines: [Substring] = []
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard let line = String(validating: raw.last == 0x0D ? raw.dropLast() : raw, as: UTF8.self) else {
                return Self.response(400, "Bad Request", "bad request\n")
            }
            lines.append(line[...])
        }
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ tokenCharacters.contains($0) }),
            parts[1].hasPrefix("/"), parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0",
            lines.dropFirst().allSatisfy({ line in line.firstIndex(of: ":").map { $0 != line.startIndex } ?? false })
        else {
            return Self.response(400, "Bad Request", "bad request\n")
        }
        let path = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard path == "/metrics" else { return Self.response(404, "Not Found", "only /metrics is served here\n") }
        guard parts[0] == "GET" else {
            return Self.response(405, "Method Not Allowed", "only GET\n", extra: "Allow: GET\r\n")
        }
        return Self.response(200, "OK", service.metricsText(), type: "text/plain; version=0.0.4; charset=utf-8")
    }

    static func response(
        _ status: Int, _ reason: String, _ body: String, type: String = "text/plain; charset=utf-8", extra: String = ""
    ) -> [UInt8] {
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(bodyBytes.count)\r\n\(extra)Connection: close\r\n\r\n"
        return Array(head.utf8) + bodyBytes
    }

    /// Ends the answer (FIN) and reads what the client still sends until it closes, at most
    /// `maxRequestBytes` more within the timeout: closing with unread bytes would reset the
    /// connection and could destroy the answer before the client read it (a refused long head).
    private func drainAfterAnswer(_ client: Int32) {
        shutdown(client, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 4096)
        var drained = 0
        while drained <= Self.maxRequestBytes * 8 {
            let n = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            drained += n
        }
    }

    private func send(_ bytes: [UInt8], to client: Int32) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            sent += n
        }
    }
}
