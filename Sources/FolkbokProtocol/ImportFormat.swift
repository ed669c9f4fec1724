import FolkbokJSON
import Glibc

/// The two formats `admin.import` reads (docs/PROTOCOL.md `admin.import`).
public enum ImportFormat: String, Sendable {
    case ndjson, navet

    /// The format of a file whose `format` was not given: `navet` when its first byte that is not
    /// white space is `<`, else `ndjson` (an empty file too). Reads at most 64 KiB.
    static func detect(path: String) throws(RPCError) -> ImportFormat {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .invalidParams("a file of \"paths\" cannot be opened for reading") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var total = 0
        while total < 64 << 10 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unavailable("reading the import file failed")
            }
            if n == 0 { break }
            total += n
            if let first = buffer[0..<n].first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
                return first == UInt8(ascii: "<") ? .navet : .ndjson
            }
        }
        return .ndjson
    }
}

/// The files of one import, checked before it starts.
enum ImportFiles {
    /// The size of each file; -32602 when one cannot be opened or is not a regular file.
    static func sizes(_ paths: [String]) throws(RPCError) -> [Int] {
        var sizes: [Int] = []
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else { throw .invalidParams("a file of \"paths\" cannot be opened for reading") }
            guard (st.st_mode & S_IFMT) == S_IFREG else {
                throw .invalidParams("a file of \"paths\" is not a regular file")
            }
            guard access(path, R_OK) == 0 else {
                throw .invalidParams("a file of \"paths\" cannot be opened for reading")
            }
            sizes.append(Int(st.st_size))
        }
        return sizes
    }
}

/// A Navet delivery refused as a whole before anything was changed: -32602 with `data.reason`
/// (`malformed_file` or `incomplete_delivery`) and, for a malformed file, `data.line` and
/// `data.file` (the path as given).
///
/// Guarantees: `message` is fixed wording from the reader, never a value from the file.
struct ImportRefusal: Error, Sendable {
    var reason: String
    var message: String
    var line: Int?
    var file: String?

    /// The JSON-RPC error response.
    func reply(id: JSONValue) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.raw("{\"jsonrpc\":\"2.0\",\"id\":")
        w.value(id)
        w.raw(",\"error\":{\"code\":-32602,\"message\":")
        w.string(message)
        w.raw(",\"data\":{\"reason\":")
        w.string(reason)
        if let line {
            w.raw(",\"line\":")
            w.int(line)
        }
        if let file {
            w.raw(",\"file\":")
            w.string(file)
        }
        w.raw("}}}")
        return w.bytes
    }
}
