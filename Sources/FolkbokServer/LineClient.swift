import CFolkbokSys
import FolkbokJSON
import Glibc

/// A blocking client for the line protocol: used by the command line, the benchmarks and the
/// black-box tests. Not for the server's own use.
public final class LineClient {
    public let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var nextID = 1

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public init(socketPath: String) throws(Failure) {
        fd = fb_unix_connect(socketPath)
        guard fd >= 0 else {
            throw Failure(
                description:
                    "cannot connect to \(socketPath): \(String(cString: strerror(errno))) (is `folkbok serve` running?)"
            )
        }
    }

    deinit { close(fd) }

    public func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw Failure(description: "the server closed the connection") }
            offset += n
        }
    }

    public func send(line: String) throws(Failure) { try send(Array(line.utf8) + [0x0A]) }

    /// The next line (without its terminator), or nil at end of stream.
    public func readLine() throws(Failure) -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<nl])
                start = nl + 1
                if start > 1 << 16 {
                    buffer.removeFirst(start)
                    start = 0
                }
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                throw Failure(description: "reading from the server failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return nil }
            buffer += chunk[0..<n]
        }
    }

    /// Sends one request and answers the parsed response object (result or error).
    public func call(_ method: String, params: String = "{}") throws(Failure) -> JSONObject {
        let id = nextID
        nextID += 1
        try send(line: "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\",\"params\":\(params)}")
        guard let line = try readLine() else { throw Failure(description: "the server closed the connection") }
        guard case .object(let response)? = try? JSONParser.parse(line) else {
            throw Failure(description: "the server sent a line that is not a JSON object")
        }
        return response
    }
}
