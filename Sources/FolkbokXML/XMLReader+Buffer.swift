import Glibc

/// The buffer: chunked reads, the UTF-8 check of what was read, and line accounting.
extension XMLReader {
    /// Makes `base[start + k]` visible if the document has it; false when the document ends
    /// before it. Throws an error found ahead (invalid UTF-8) when the parse needs those bytes.
    @inline(__always)
    mutating func ensure(_ k: Int) throws(XMLError) -> Bool {
        while start + k >= end {
            guard try refill(throwPending: true) else { return false }
        }
        return true
    }

    /// As `ensure`, but an error found ahead answers false (the parse reports it when it gets
    /// there, so an earlier malformation is reported first).
    @inline(__always)
    mutating func lookahead(_ k: Int) throws(XMLError) -> Bool {
        while start + k >= end {
            guard try refill(throwPending: false) else { return false }
        }
        return true
    }

    /// Reads at least one more visible byte; false when none will come.
    mutating func refill(throwPending: Bool) throws(XMLError) -> Bool {
        if let reason = pendingReason {
            if throwPending { throw fail(reason, at: pendingOffset) }
            return false
        }
        if sourceDone { return false }
        compact()
        if end - start > limits.maxTokenBytes { throw fail(.tokenTooLong, at: start) }
        let oldEnd = end
        while end == oldEnd, pendingReason == nil, !sourceDone {
            let room = latin1 ? 2 * chunkSize : chunkSize
            if capacity - rawEnd < room { grow(to: rawEnd + room) }
            let n: Int
            do {
                if latin1 {
                    if rawChunk == nil { rawChunk = .allocate(capacity: chunkSize) }
                    let raw = try source.read(into: UnsafeMutableRawBufferPointer(start: rawChunk, count: chunkSize))
                    n = XMLCharacters.latin1ToUTF8(rawChunk!, raw, into: base + rawEnd)
                } else {
                    n = try source.read(
                        into: UnsafeMutableRawBufferPointer(start: base + rawEnd, count: capacity - rawEnd))
                }
            } catch {
                throw fail(error.reason, at: rawEnd)
            }
            if n == 0 { sourceDone = true }
            rawEnd += n
            if prologDone { checkNewBytes() } else { end = rawEnd }
        }
        if end > oldEnd { return true }
        if let reason = pendingReason, throwPending { throw fail(reason, at: pendingOffset) }
        return false
    }

    /// Checks `base[end..<rawEnd]` and makes what is fine visible.
    mutating func checkNewBytes() {
        switch XMLCharacters.check(base, from: end, to: rawEnd, atEnd: sourceDone) {
        case .valid(let validEnd, let lineFeeds):
            end = validEnd
            lineFeedsBeforeEnd += lineFeeds
        case .invalid(let at, let reason, let lineFeeds):
            end = at
            lineFeedsBeforeEnd += lineFeeds
            pendingReason = reason
            pendingOffset = at
        }
    }

    /// Drops the consumed bytes `base[0..<start]` (their lines are in `lineFeedsBeforeEnd`).
    mutating func compact() {
        guard start > 0 else { return }
        memmove(base, base + start, rawEnd - start)
        end -= start
        rawEnd -= start
        pendingOffset -= start
        start = 0
    }

    mutating func grow(to needed: Int) {
        var next = capacity * 2
        while next < needed { next *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: next)
        fresh.update(from: base, count: rawEnd)
        base.deallocate()
        base = fresh
        capacity = next
    }

    /// True if the visible bytes at `start + k` are `literal` (false when the document ends first).
    mutating func matches(_ literal: StaticString, at k: Int) throws(XMLError) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard try lookahead(k + n - 1) else { return false }
        return memcmp(base + start + k, literal.utf8Start, n) == 0
    }
}
