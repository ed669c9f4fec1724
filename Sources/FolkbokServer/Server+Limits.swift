import FolkbokJSON
import FolkbokProtocol
import Glibc

/// The limits that keep one client from hurting the rest (PROTOCOL.md "Transport"): a cap on
/// connections, on the bytes all unfinished lines hold together, and on how long an
/// unfinished line may wait for its next byte. All run on the loop thread.
extension Server {
    /// Answers a freshly accepted connection that is one too many, and closes it.
    func refuse(_ fd: Int32) {
        // A new socket's send buffer is empty: the short line goes out whole or not at all.
        _ = Service.tooManyConnectionsResponse.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
    }

    /// Brings the server's input total up to date with the connection's unfinished line.
    func accountInput(_ connection: Connection) {
        let held = connection.framer.bufferedBytes
        inputBytes += held - connection.heldInput
        connection.heldInput = held
    }

    /// While unfinished lines hold more than `maxInputMemory`, the connection with the longest
    /// one gets `line_too_long` (after the answers it is owed) and is closed.
    /// - Complexity: O(connections) per connection closed; it runs only past the limit.
    func enforceInputLimit() {
        while inputBytes > config.maxInputMemory,
              let victim = connections.values.max(by: { $0.heldInput < $1.heldInput }), victim.heldInput > 0 {
            victim.framer = LineFramer(maxLine: config.maxLine)
            accountInput(victim)
            victim.complete(victim.nextSeq, Service.lineTooLongResponse)
            victim.nextSeq += 1
            victim.readClosed = true
            victim.closeAfterFlush = true
            settle(victim)
        }
    }

    /// Closes each connection whose unfinished line has had no byte for `lineTimeoutSeconds`,
    /// checked at most once a second. Time while the server does not read a connection (it
    /// is paused for backpressure) does not count against it.
    func closeStalledLines() {
        let now = monotonicSeconds()
        guard now >= nextLineSweep else { return }
        nextLineSweep = now + min(1, config.lineTimeoutSeconds / 2)
        for connection in connections.values where connection.heldInput > 0 {
            if !mayRead(connection) || connection.readClosed {
                connection.lastInputAt = now
            } else if now - connection.lastInputAt > config.lineTimeoutSeconds {
                closeConnection(connection)
            }
        }
    }
}
