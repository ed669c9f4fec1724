import Glibc

/// Where an `XMLReader` gets its bytes: a file, or memory in tests.
///
/// `read(into:)` fills a prefix of `buffer` and answers its length; 0 means the input has ended
/// (and every later call answers 0 too).
public protocol XMLByteSource {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(XMLError) -> Int
}

/// A file read with `read(2)` into the reader's buffer, one chunk at a time.
///
/// Guarantees: the file is opened read-only and closed when the source is released; reads are
/// retried on EINTR; a failure is `XMLError.Reason.readFailed` with its errno.
public final class XMLFileSource: XMLByteSource {
    private let descriptor: Int32

    public init(path: String) throws(XMLError) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw XMLError(.cannotOpen(errno: errno), line: 0) }
        descriptor = fd
    }

    deinit { _ = Glibc.close(descriptor) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(XMLError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = Glibc.read(descriptor, base, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw XMLError(.readFailed(errno: errno), line: 0)
        }
    }
}

/// Bytes in memory handed out in pieces of the given sizes (cycled), so tests and the fuzzer
/// can cut a document at any offset.
public struct XMLMemorySource: XMLByteSource {
    private let bytes: [UInt8]
    private let pieceSizes: [Int]
    private var offset = 0
    private var piece = 0

    /// - Parameter pieceSizes: sizes of successive reads (each at least 1; cycled); empty means
    ///   as much as the reader asks for.
    public init(_ bytes: [UInt8], pieceSizes: [Int] = []) {
        self.bytes = bytes
        self.pieceSizes = pieceSizes.map { max(1, $0) }
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(XMLError) -> Int {
        var n = min(buffer.count, bytes.count - offset)
        if !pieceSizes.isEmpty {
            n = min(n, pieceSizes[piece % pieceSizes.count])
            piece += 1
        }
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { all in
            buffer.baseAddress!.copyMemory(from: all.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
