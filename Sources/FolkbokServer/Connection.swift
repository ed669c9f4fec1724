import FolkbokJSON
import FolkbokProtocol

/// One client connection, confined to the event loop thread.
///
/// Guarantees: responses leave in request order (each request takes a sequence number; a
/// response is written only when every earlier one has been); while a slow request is in
/// flight, later requests of this connection wait (they see its effects).
final class Connection {
    let fd: Int32
    let token: UInt64
    let state: ConnectionState
    var framer: LineFramer
    var output: [UInt8] = []
    var outputOffset = 0
    var nextSeq: UInt64 = 0
    var flushSeq: UInt64 = 0
    var completed: [UInt64: [UInt8]] = [:]
    /// Streamed lines of a request that is not yet first in line to be answered.
    var partials: [UInt64: [UInt8]] = [:]
    var partialBytes = 0
    /// Producers of streamed lines waiting for the output to drain below the limit.
    var waitingProducers: [@Sendable (Bool) -> Void] = []
    var slowInFlight = false
    /// Where the connection is in its life; it only moves forward (`end(_:)`).
    private(set) var phase = Phase.open
    var interest: UInt32 = 0
    /// Bytes of the unfinished line counted in the server's input total.
    var heldInput = 0
    /// When the last byte arrived (monotonic seconds), or when reading last resumed.
    var lastInputAt: Double

    /// The stages of a connection, in the only order it goes through them.
    enum Phase: Int, Comparable {
        /// Requests are read and answered.
        case open
        /// No more bytes are read (the peer stopped writing, or the server is stopping): the
        /// requests already read are still answered, then the connection closes.
        case inputEnded
        /// No more requests are taken (an error, a limit): what is owed is sent, then it closes.
        case closing
        /// A send failed: the peer cannot receive anything more.
        case peerGone

        static func < (a: Phase, b: Phase) -> Bool { a.rawValue < b.rawValue }
    }

    /// Moves to `phase` unless the connection is already further on.
    func end(_ phase: Phase) { self.phase = max(self.phase, phase) }

    /// No more bytes are read from the peer.
    var readClosed: Bool { phase > .open }
    /// No more requests are taken from what was read.
    var closeAfterFlush: Bool { phase >= .closing }
    var peerGone: Bool { phase == .peerGone }

    init(fd: Int32, token: UInt64, uid: UInt32, maxLine: Int) {
        self.fd = fd
        self.token = token
        self.state = ConnectionState(uid: uid)
        self.framer = LineFramer(maxLine: maxLine)
        self.lastInputAt = monotonicSeconds()
    }

    var inFlight: Int { Int(nextSeq - flushSeq) }
    var pendingOutput: Int { output.count - outputOffset }

    /// Records the response of request `seq` and moves every response now in order to `output`.
    func complete(_ seq: UInt64, _ bytes: [UInt8]) {
        guard seq == flushSeq else {
            completed[seq] = bytes
            return
        }
        output.append(contentsOf: bytes)
        moveLaterInOrder()
    }

    /// As `complete(_:_:)` for bytes that stay where they are (copied only if they must wait).
    func complete(_ seq: UInt64, _ bytes: ArraySlice<UInt8>) {
        guard seq == flushSeq else {
            completed[seq] = Array(bytes)
            return
        }
        output.append(contentsOf: bytes)
        moveLaterInOrder()
    }

    /// After request `flushSeq`'s answer went to `output`: moves every later one already
    /// complete there too, in order. (Not generic over the bytes: a generic append is not
    /// always specialised and then copies byte by byte.)
    private func moveLaterInOrder() {
        flushSeq += 1
        while true {
            if let early = partials.removeValue(forKey: flushSeq) {
                output += early
                partialBytes -= early.count
            }
            guard let next = completed.removeValue(forKey: flushSeq) else { break }
            output += next
            flushSeq += 1
        }
    }

    /// Streamed lines of request `seq`, ahead of its final answer: written now if `seq` is
    /// first in line, else kept until it is.
    func appendPartial(_ seq: UInt64, _ bytes: [UInt8]) {
        if seq == flushSeq {
            output += bytes
        } else {
            partials[seq, default: []] += bytes
            partialBytes += bytes.count
        }
    }

    /// Lets waiting producers go on once the unsent output is below `limit` (or, with
    /// `gone`, tells them the connection is closed).
    func releaseProducers(limit: Int, gone: Bool = false) {
        guard !waitingProducers.isEmpty, gone || pendingOutput + partialBytes < limit else { return }
        let waiting = waitingProducers
        waitingProducers.removeAll()
        for resume in waiting { resume(!gone) }
    }

    /// Drops bytes already written, compacting once the sent prefix is large.
    func consumed(_ n: Int) {
        outputOffset += n
        if outputOffset == output.count {
            output.removeAll(keepingCapacity: output.capacity <= 1 << 20)
            outputOffset = 0
        } else if outputOffset > 1 << 16 && outputOffset * 2 > output.count {
            output.removeFirst(outputOffset)
            outputOffset = 0
        }
    }
}
