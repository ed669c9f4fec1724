import Glibc

/// Counts complete replies (or requests) in a byte stream that arrives in arbitrary chunks.
///
/// A framer keeps its state between calls, so a reply split across two reads is counted once,
/// when its last byte arrives. One framer per connection.
protocol ReplyFramer: SendableMetatype {
    init()
    /// Consumes `bytes` and answers how many replies they completed.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Int
    /// Replies so far that were errors or nil (RESP `-ERR`, `$-1`); a framer that cannot tell says 0.
    var failures: Int { get }
}

/// One reply per `\n`: JSON-RPC lines, where a newline never occurs inside a JSON text.
struct NewlineFramer: ReplyFramer {
    var failures: Int { 0 }

    func consume(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard var p = bytes.baseAddress else { return 0 }
        let end = p + bytes.count
        var lines = 0
        while p < end, let hit = memchr(p, 0x0A, end - p) {
            lines += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return lines
    }
}
