import CFolkbokSys
import Glibc

/// RESP2 commands as bytes: an array of bulk strings, the form Redis's own clients send.
enum RESP {
    static func command(_ words: [String]) -> [UInt8] { command(words.map { Array($0.utf8) }) }

    static func command(_ words: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        append(words, to: &bytes)
        return bytes
    }

    static func append(_ words: [[UInt8]], to bytes: inout [UInt8]) {
        bytes += Array("*\(words.count)\r\n".utf8)
        for word in words {
            bytes += Array("$\(word.count)\r\n".utf8)
            bytes += word
            bytes += [0x0D, 0x0A]
        }
    }
}

/// A blocking RESP client for setting Redis up: one command at a time, or a pipelined batch.
/// Replies come back as their raw text (`+OK\r\n`, `$3\r\nabc\r\n`, …).
final class RESPClient {
    let fd: Int32

    init?(socketPath: String) {
        fd = fb_unix_connect(socketPath)
        if fd < 0 { return nil }
    }

    deinit { close(fd) }

    /// Sends one command and answers its reply's raw text.
    func call(_ words: String...) -> String {
        sendAll(fd, RESP.command(words))
        return String(decoding: readReplies(fd, count: 1, framer: RESPFramer.self), as: UTF8.self)
    }

    /// Sends `batch` (holding `count` commands) and waits for all their replies; answers how many failed.
    func pipeline(_ batch: [UInt8], count: Int) -> Int {
        sendAll(fd, batch)
        var framer = RESPFramer()
        var seen = 0
        var chunk = [UInt8](repeating: 0, count: 65536)
        while seen < count {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return count - seen + framer.failures }
            seen += chunk.withUnsafeBytes { framer.consume(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return framer.failures
    }
}
