import Glibc

/// Frames an import file's bytes into the line chunks `ParallelLineDecoder` hands its workers,
/// exactly as `LineFramer` frames them, but a run of ordinary lines is copied in one go and
/// newlines are found with `memchr` (the reader thread scanned and copied each line twice).
///
/// Guarantees (as `LineFramer`, `ImportLineFramerTests` compares the two): a line is the bytes
/// before a "\n", one trailing "\r" dropped; a line whose content is over `maxLine` bytes is
/// one too-long line, recorded as an empty line whose offset in `bytes` is in `tooLong`, and
/// no more than `maxLine + 1` bytes of it are ever held; at the end of the file a last line
/// without "\n" is a line unless it is empty (or only "\r"). Output lines are each ended by
/// "\n", in file order.
struct ImportLineFramer {
    let maxLine: Int
    /// The incomplete line at the end of what was framed so far.
    private var carry: [UInt8] = []
    /// True while dropping the rest of a too-long line up to its "\n".
    private var discarding = false

    init(maxLine: Int) { self.maxLine = maxLine }

    /// Appends the lines `input` completes to `bytes` (and too-long lines' offsets to
    /// `tooLong`); answers how many lines that is.
    mutating func frame(_ input: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8], tooLong: inout [Int]) -> Int {
        guard let base = input.baseAddress else { return 0 }
        let n = input.count
        var lines = 0
        var i = 0
        func newline(from start: Int) -> Int? {
            guard start < n, let hit = memchr(base + start, 0x0A, n - start) else { return nil }
            return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
        }
        if discarding {
            guard let nl = newline(from: 0) else { return 0 }
            discarding = false
            i = nl + 1
        }
        if !carry.isEmpty {
            guard let nl = newline(from: i) else {
                keepIncomplete(
                    UnsafeBufferPointer(rebasing: input[i..<n]), into: &bytes, tooLong: &tooLong, lines: &lines)
                return lines
            }
            carry.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<nl]))
            emitCarry(into: &bytes, tooLong: &tooLong)
            lines += 1
            i = nl + 1
        }
        // Complete lines from `i` on: copied as runs, a line ending in "\r" or too long
        // breaking the run.
        var runStart = i
        while let nl = newline(from: i) {
            var end = nl
            if end > i && base[end - 1] == 0x0D { end -= 1 }
            let content = end - i
            if content > maxLine || end != nl {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i]))
                if content > maxLine {
                    tooLong.append(bytes.count)
                } else {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<end]))
                }
                bytes.append(0x0A)
                runStart = nl + 1
            }
            lines += 1
            i = nl + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[runStart..<i]))
        if i < n {
            keepIncomplete(UnsafeBufferPointer(rebasing: input[i..<n]), into: &bytes, tooLong: &tooLong, lines: &lines)
        }
        return lines
    }

    /// At the end of the file: the last line if it had no "\n"; answers 0 or 1 lines.
    mutating func finish(into bytes: inout [UInt8], tooLong: inout [Int]) -> Int {
        defer {
            carry.removeAll()
            discarding = false
        }
        if discarding || carry.isEmpty || carry == [0x0D] { return 0 }
        emitCarry(into: &bytes, tooLong: &tooLong)
        return 1
    }

    /// Holds an incomplete line; once it cannot fit any more it is one too-long line.
    private mutating func keepIncomplete(
        _ part: UnsafeBufferPointer<UInt8>, into bytes: inout [UInt8], tooLong: inout [Int], lines: inout Int
    ) {
        carry.append(contentsOf: part)
        // `LineFramer`'s rule: past `maxLine + 1` bytes, or at it without a "\r" that a "\n"
        // could follow, the line is too long whatever comes next.
        guard carry.count > maxLine + 1 || (carry.count == maxLine + 1 && carry.last != 0x0D) else { return }
        carry.removeAll()
        discarding = true
        tooLong.append(bytes.count)
        bytes.append(0x0A)
        lines += 1
    }

    /// Writes the held line (now complete) and empties it.
    private mutating func emitCarry(into bytes: inout [UInt8], tooLong: inout [Int]) {
        var content = carry.count
        if content > 0 && carry[content - 1] == 0x0D { content -= 1 }
        if content > maxLine {
            tooLong.append(bytes.count)
        } else {
            bytes.append(contentsOf: carry[0..<content])
        }
        bytes.append(0x0A)
        carry.removeAll(keepingCapacity: carry.capacity <= 1 << 16)
    }
}
