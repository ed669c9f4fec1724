/// Counts RESP2 replies: simple strings `+OK`, errors `-ERR …`, integers `:n`, bulk strings
/// `$len\r\n…\r\n` and nil `$-1`, and flat arrays of those (`*n`, as in the commands a client
/// sends, so a null server can count requests with it too).
///
/// A bulk body is skipped by its length, never scanned, so large replies cost O(1) to frame.
/// Nested arrays are a programmer error (no command this benchmark sends gets one) and trap.
struct RESPFramer: ReplyFramer {
    private enum State {
        case type
        case header(kind: UInt8, value: Int, negative: Bool)
        case body(remaining: Int)
    }

    private var state = State.type
    /// Elements still due in the array being read; 0 outside an array.
    private var arrayLeft = 0
    private(set) var failures = 0

    init() {}

    mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Int {
        var replies = 0
        var i = 0
        let count = bytes.count
        while i < count {
            switch state {
            case .type:
                state = .header(kind: bytes[i], value: 0, negative: false)
                i += 1
            case .header(let kind, var value, var negative):
                while i < count, bytes[i] != 0x0A {
                    let byte = bytes[i]
                    if byte >= 0x30 && byte <= 0x39 {
                        value = value &* 10 &+ Int(byte - 0x30)
                    } else if byte == 0x2D {
                        negative = true
                    }
                    i += 1
                }
                guard i < count else {
                    state = .header(kind: kind, value: value, negative: negative)
                    break
                }
                i += 1
                state = .type
                switch kind {
                case UInt8(ascii: "$") where !negative: state = .body(remaining: value + 2)
                case UInt8(ascii: "*") where !negative && value > 0:
                    precondition(arrayLeft == 0, "nested RESP arrays are not supported")
                    arrayLeft = value
                case UInt8(ascii: "+"), UInt8(ascii: ":"), UInt8(ascii: "*"): replies += elementDone()
                default:
                    failures += 1
                    replies += elementDone()
                }
            case .body(let remaining):
                let n = min(remaining, count - i)
                i += n
                if n == remaining {
                    state = .type
                    replies += elementDone()
                } else {
                    state = .body(remaining: remaining - n)
                }
            }
        }
        return replies
    }

    /// 1 when the element just read completes a reply (it is top-level or ends its array).
    private mutating func elementDone() -> Int {
        guard arrayLeft > 0 else { return 1 }
        arrayLeft -= 1
        return arrayLeft == 0 ? 1 : 0
    }
}

extension RESPFramer {
    /// Frames a stream of every reply kind fed whole and split at 1, 2, 3, 5, 8 and 13 bytes;
    /// traps unless each split counts the same replies and failures. Run before measuring, so a
    /// framing mistake cannot inflate a figure.
    static func selfCheck() {
        let stream = Array(
            "+OK\r\n$5\r\nhello\r\n-ERR no\r\n:42\r\n$-1\r\n$0\r\n\r\n*2\r\n$3\r\nGET\r\n$2\r\nab\r\n*0\r\n$12\r\n0123456789\r\n\r\n"
                .utf8)
        for chunk in [stream.count, 1, 2, 3, 5, 8, 13] {
            var framer = RESPFramer()
            var replies = 0
            stream.withUnsafeBytes { all in
                var at = 0
                while at < all.count {
                    let end = min(all.count, at + chunk)
                    replies += framer.consume(UnsafeRawBufferPointer(rebasing: all[at..<end]))
                    at = end
                }
            }
            precondition(
                replies == 9 && framer.failures == 2,
                "RESPFramer: \(replies) replies, \(framer.failures) failures in chunks of \(chunk)")
        }
    }
}
