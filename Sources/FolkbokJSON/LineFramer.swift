/// Splits a byte stream into "\n"-terminated lines for one connection.
///
/// Guarantees: frames come out in stream order. A line excludes its "\n" and one trailing
/// "\r". A line longer than `maxLine` bytes (terminator excluded) yields exactly one
/// `.tooLong`, detected as soon as `append` sees the limit exceeded; its bytes up to and
/// including the next "\n" are dropped without being buffered, so the incomplete line held
/// never exceeds `maxLine + 1` bytes. Complete lines wait in the buffer until `next()`
/// takes them, so drain `next()` after each `append`. Empty lines come out as `.line([])`.
/// Work is linear in the input: each byte is scanned at most twice, and consumed bytes are
/// compacted away only once they make up more than half of the buffer.
public struct LineFramer: Sendable {
    /// One unit of framer output: a complete line's bytes (terminator removed) or the
    /// single marker standing for a dropped over-long line.
    public enum Frame: Equatable, Sendable {
        case line([UInt8])
        case tooLong
    }

    private let maxLine: Int
    private var buffer: [UInt8] = []
    /// Start of the first line not yet returned by `next()`.
    private var head = 0
    /// Start of the incomplete last line; `buffer[head..<tailStart]` are complete lines.
    private var tailStart = 0
    /// Buffer positions where a `.tooLong` frame sits, ascending.
    private var tooLongMarks: [Int] = []
    /// True while dropping the rest of an over-long line up to its "\n".
    private var discarding = false

    public init(maxLine: Int = 1 << 20) {
        precondition(maxLine >= 0, "maxLine must not be negative")
        self.maxLine = maxLine
    }

    /// Bytes held for the incomplete line at the end of the buffer.
    public var bufferedBytes: Int { buffer.count - tailStart }

    /// True while `next()` has a frame to give without more input.
    public var hasFrames: Bool { head < tailStart || !tooLongMarks.isEmpty }

    public mutating func append(_ chunk: [UInt8]) {
        chunk.withUnsafeBufferPointer { append(bytes: $0) }
    }

    public mutating func append(_ chunk: UnsafeRawBufferPointer) {
        chunk.withMemoryRebound(to: UInt8.self) { append(bytes: $0) }
    }

    private mutating func append(bytes chunk: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < chunk.count {
            let newline = Self.findNewline(chunk, from: i)
            if discarding {
                guard let newline else { return }
                discarding = false
                i = newline + 1
                continue
            }
            let segmentEnd = newline ?? chunk.count
            let lineLength = bufferedBytes + segmentEnd - i
            if let newline {
                let lastByte = segmentEnd > i ? chunk[segmentEnd - 1] : buffer.last
                let content = lastByte == 0x0D ? lineLength - 1 : lineLength
                if content > maxLine {
                    markTooLong()
                } else {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[i...newline]))
                    tailStart = buffer.count
                }
                i = newline + 1
            } else {
                let endsWithCR = chunk[chunk.count - 1] == 0x0D
                if lineLength > maxLine + 1 || (lineLength == maxLine + 1 && !endsWithCR) {
                    markTooLong()
                    discarding = true
                } else {
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[i...]))
                }
                return
            }
        }
    }

    /// Drops the incomplete line and records a `.tooLong` frame in its place.
    private mutating func markTooLong() {
        buffer.removeSubrange(tailStart...)
        tooLongMarks.append(tailStart)
    }

    /// Next complete frame, or nil when more bytes are needed. A line excludes its "\n" and a trailing "\r".
    public mutating func next() -> Frame? {
        switch nextInPlace() {
        case .line(let slice)?: .line(Array(slice))
        case .tooLong?: .tooLong
        case nil: nil
        }
    }

    /// A frame whose line is a slice of the framer's buffer (`nextInPlace`).
    public enum SliceFrame {
        case line(ArraySlice<UInt8>)
        case tooLong
    }

    /// As `next`, without copying the line out of the buffer: the slice shares the buffer, so
    /// let go of it before the next call (the buffer is compacted then; a slice still held is
    /// not damaged, it only costs a copy of the buffer).
    public mutating func nextInPlace() -> SliceFrame? {
        if head > 4096 && head > buffer.count / 2 { compact() }
        if let mark = tooLongMarks.first, mark == head {
            tooLongMarks.removeFirst()
            return .tooLong
        }
        guard head < tailStart else {
            compact()
            return nil
        }
        let newline = buffer.withUnsafeBufferPointer { Self.findNewline($0, from: head) }!
        var end = newline
        if end > head && buffer[end - 1] == 0x0D { end -= 1 }
        let line = buffer[head..<end]
        head = newline + 1
        return .line(line)
    }

    /// Removes consumed bytes from the front of the buffer.
    private mutating func compact() {
        guard head > 0 else { return }
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 2 * maxLine + 65536)
        } else {
            buffer.removeFirst(head)
        }
        tailStart -= head
        for k in tooLongMarks.indices { tooLongMarks[k] -= head }
        head = 0
    }

    /// Index of the first "\n" at or after `start`, or nil.
    @inline(__always)
    private static func findNewline(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = p.count
        while i < n {
            if p[i] == 0x0A { return i }
            i += 1
        }
        return nil
    }
}
