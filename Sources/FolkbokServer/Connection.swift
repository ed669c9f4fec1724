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
    var slowInFlight = false
    var readClosed = false
    var closeAfterFlush = false
    var interest: UInt32 = 0

    init(fd: Int32, token: UInt64, uid: UInt32, maxLine: Int) {
        self.fd = fd
        self.token = token
        self.state = ConnectionState(uid: uid)
        self.framer = LineFramer(maxLine: maxLine)
    }

    var inFlight: Int { Int(nextSeq - flushSeq) }
    var pendingOutput: Int { output.count - outputOffset }

    /// Records the response of request `seq` and moves every response now in order to `output`.
    func complete(_ seq: UInt64, _ bytes: [UInt8]) {
        if seq == flushSeq {
            output += bytes
            flushSeq += 1
            while let next = completed.removeValue(forKey: flushSeq) {
                output += next
                flushSeq += 1
            }
        } else {
            completed[seq] = bytes
        }
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
