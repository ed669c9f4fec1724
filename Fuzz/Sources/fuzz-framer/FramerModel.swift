import FolkbokJSON

/// `LineFramer`'s documented behaviour on the whole stream at once, the plain way.
enum FramerModel {
    /// Every complete line with one trailing "\r" stripped, a line whose content exceeds
    /// `maxLine` replaced by `.tooLong`; then `.tooLong` for an incomplete last line that can
    /// no longer fit (more than `maxLine + 1` bytes, or exactly that many not ending in the
    /// "\r" that a "\n" could still turn into a terminator).
    static func frames(_ stream: [UInt8], maxLine: Int) -> [LineFramer.Frame] {
        var pieces = stream.split(separator: 0x0A, omittingEmptySubsequences: false)
        let tail = pieces.removeLast()
        var frames: [LineFramer.Frame] = pieces.map { piece in
            var line = Array(piece)
            if line.last == 0x0D { line.removeLast() }
            return line.count > maxLine ? .tooLong : .line(line)
        }
        if tail.count > maxLine + 1 || (tail.count == maxLine + 1 && tail.last != 0x0D) { frames.append(.tooLong) }
        return frames
    }
}
