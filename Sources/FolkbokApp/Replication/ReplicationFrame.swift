import FolkbokStorage
import Glibc

/// One message on a replication link: `kind u8 | length u32 | body | CRC32C u32` (the CRC over
/// kind, length and body; integers little-endian).
///
/// Guarantees: `decode` never answers a frame whose checksum does not hold or whose length is
/// above `maxBody`: it throws, and the link is dropped.
struct ReplicationFrame: Sendable {
    enum Kind: UInt8, Sendable {
        /// Replica → primary: epoch u64, last durable LSN u64, then the replica's name (UTF-8).
        case hello = 1
        /// Primary → replica: durable LSN u64, then the primary's epoch history (`EpochHistory.bytes`).
        case welcome = 2
        /// Either way: why the link ends (UTF-8, no person data).
        case refuse = 3
        /// Primary → replica: LSN u64, then the record's payload as it is in the log.
        case record = 4
        /// Replica → primary: the LSN u64 up to which the replica has made every record durable.
        case ack = 5
        /// Primary → replica: the primary's durable LSN u64, at least once a second.
        case heartbeat = 6
        /// Replica → primary, instead of `hello`: send your newest snapshot (`SnapshotCopy`).
        case snapshotRequest = 7
        /// Primary → replica: the snapshot's LSN u64 and size u64 (both 0: there is none).
        case snapshotBegin = 8
        /// Primary → replica: the next bytes of the snapshot file.
        case snapshotChunk = 9
        /// Primary → replica: the snapshot is complete.
        case snapshotEnd = 10
        /// Primary → replica on TCP, first: a 32-byte nonce (`FrameAuth`).
        case challenge = 11
        /// Replica → primary: its nonce and its HMAC; primary → replica: the primary's HMAC.
        case proof = 12
    }

    let kind: Kind
    let body: [UInt8]

    static let headerSize = 5
    static let maxBody = 64 << 20

    func encode(into out: inout [UInt8]) {
        let start = out.count
        out.append(kind.rawValue)
        out.appendLittleEndian(UInt32(body.count))
        out.append(contentsOf: body)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        out.appendLittleEndian(crc)
    }

    /// A `record` frame encoded straight into `out` (no body array of its own).
    static func record(lsn: UInt64, payload: [UInt8], into out: inout [UInt8]) {
        let start = out.count
        out.append(Kind.record.rawValue)
        out.appendLittleEndian(UInt32(8 + payload.count))
        out.appendLittleEndian(lsn)
        out.append(contentsOf: payload)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        out.appendLittleEndian(crc)
    }

    static func lsn(_ kind: Kind, _ lsn: UInt64) -> ReplicationFrame {
        var body: [UInt8] = []
        body.appendLittleEndian(lsn)
        return ReplicationFrame(kind: kind, body: body)
    }

    /// The LSN a `record`, `ack` or `heartbeat` body starts with.
    var leadingLSN: UInt64? { body.count >= 8 ? body.littleEndianU64(at: 0) : nil }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// A link that carried bytes that are not a frame: it is dropped.
    struct FramingError: Error, CustomStringConvertible {
        let description: String
    }

    /// The frame at the start of `bytes[from...]` and the offset after it; nil when incomplete.
    static func decode(_ bytes: [UInt8], from: Int) throws(FramingError) -> (ReplicationFrame, Int)? {
        guard bytes.count - from >= headerSize else { return nil }
        guard let kind = Kind(rawValue: bytes[from]) else {
            throw FramingError(description: "unknown frame kind \(bytes[from])")
        }
        let length = Int(bytes.littleEndianU32(at: from + 1))
        guard length <= maxBody else {
            throw FramingError(description: "frame of \(length) bytes is longer than allowed")
        }
        let end = from + headerSize + length + 4
        guard bytes.count >= end else { return nil }
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[from..<(end - 4)])) }
        guard crc == bytes.littleEndianU32(at: end - 4) else {
            throw FramingError(description: "frame checksum mismatch")
        }
        return (ReplicationFrame(kind: kind, body: Array(bytes[(from + headerSize)..<(end - 4)])), end)
    }
}

/// A connected replication socket: whole frames out, frames in with a read buffer.
///
/// Guarantees: `send` writes all bytes or throws; `next` answers whole, checked frames only.
/// Used by one reader thread and one writer thread at a time; `shutdown` wakes both.
final class FrameSocket: @unchecked Sendable {
    // @unchecked: `inbound`, `start`, `chunk` and `receiveSequence` are touched only by the one reading
    // thread, `sendSequence` only by the one sending thread; `fd` is fixed and `auth` is set
    // before either thread starts.
    let fd: Int32
    private var inbound: [UInt8] = []
    private var start = 0
    private var auth: FrameAuth?
    private var sendSequence: UInt64 = 0
    private var receiveSequence: UInt64 = 0
    /// What `readMore` receives into (allocated once, not per read).
    private var chunk = [UInt8](repeating: 0, count: 256 << 10)

    /// From now on every frame sent carries a tag and every frame read must carry a good one.
    func authenticate(with auth: FrameAuth) { self.auth = auth }

    /// Appends the tag of the frame that starts at `frameStart` of `out` (nothing without auth).
    func seal(_ out: inout [UInt8], frameStart: Int) {
        guard let auth else { return }
        out += auth.tag(direction: auth.sendDirection, sequence: sendSequence, frame: out[frameStart...])
        sendSequence += 1
    }

    init(fd: Int32) { self.fd = fd }

    deinit { Glibc.close(fd) }

    struct LinkError: Error, CustomStringConvertible {
        let description: String
    }

    func send(_ bytes: [UInt8]) throws(LinkError) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw LinkError(description: "send failed: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    func send(_ frame: ReplicationFrame) throws(LinkError) {
        var bytes: [UInt8] = []
        frame.encode(into: &bytes)
        seal(&bytes, frameStart: 0)
        try send(bytes)
    }

    /// The kind of the next frame, when its first byte has arrived (the frame may not have).
    var nextKind: ReplicationFrame.Kind? {
        start < inbound.count ? ReplicationFrame.Kind(rawValue: inbound[start]) : nil
    }

    /// The next frame already read, without waiting.
    func buffered() throws -> ReplicationFrame? {
        guard let (frame, frameEnd) = try ReplicationFrame.decode(inbound, from: start) else { return nil }
        var end = frameEnd
        if let auth {
            guard inbound.count >= frameEnd + FrameAuth.tagBytes else { return nil }
            let expected = auth.tag(
                direction: 1 - auth.sendDirection, sequence: receiveSequence, frame: inbound[start..<frameEnd])
            guard FrameAuth.constantTimeEqual(Array(inbound[frameEnd..<(frameEnd + FrameAuth.tagBytes)]), expected)
            else {
                throw ReplicationFrame.FramingError(description: "a frame failed its HMAC check")
            }
            receiveSequence += 1
            end += FrameAuth.tagBytes
        }
        start = end
        if start == inbound.count {
            inbound.removeAll(keepingCapacity: true)
            start = 0
        }
        return frame
    }

    /// The next frame, waiting at most `timeout` seconds (nil when none came in that time).
    func next(timeout: Double) throws -> ReplicationFrame? {
        let deadline = monotonicNow() + timeout
        while true {
            if let frame = try buffered() { return frame }
            let left = deadline - monotonicNow()
            guard left > 0, try readMore(waitingMillis: Int32(left * 1000) + 1) else { return nil }
        }
    }

    /// Reads what the socket has, waiting up to `waitingMillis`; false when nothing came.
    /// Throws when the peer closed the link or it failed.
    func readMore(waitingMillis: Int32) throws -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, waitingMillis)
        if ready < 0 && errno != EINTR {
            throw LinkError(description: "poll failed: \(String(cString: strerror(errno)))")
        }
        guard ready > 0 else { return false }
        if start > 0 && start > inbound.count / 2 {
            inbound.removeSubrange(0..<start)
            start = 0
        }
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { return false }
            throw LinkError(description: "receive failed: \(String(cString: strerror(errno)))")
        }
        if n == 0 { throw LinkError(description: "the peer closed the link") }
        inbound.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Wakes a thread blocked on this socket and ends the link (both directions).
    func shutdown() { _ = Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
}

/// Seconds on the monotonic clock.
func monotonicNow() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Unix-socket plumbing for the replication links.
enum UnixSocket {
    static func address(_ path: String) throws -> sockaddr_un {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            throw AppStartError("the replication socket path \(path) is too long")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return addr
    }

    /// A listening socket at `path`: a stale socket file there is replaced, a live one (another
    /// server answering on it) fails start-up.
    static func listen(_ path: String) throws -> Int32 {
        if let live = try? connect(path) {
            Glibc.close(live)
            throw AppStartError("another server is already listening for replicas on \(path)")
        }
        var addr = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw AppStartError("cannot create the replication socket: \(String(cString: strerror(errno)))")
        }
        unlink(path)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw AppStartError("cannot listen for replicas on \(path): \(reason)")
        }
        // Who may replicate is decided by the peer's uid (checked per link), not the file mode.
        chmod(path, 0o666)
        return fd
    }

    static func connect(_ path: String) throws -> Int32 {
        var addr = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw FrameSocket.LinkError(description: "cannot create a socket: \(String(cString: strerror(errno)))")
        }
        let done = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard done == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw FrameSocket.LinkError(description: "cannot connect to \(path): \(reason)")
        }
        return fd
    }
}
