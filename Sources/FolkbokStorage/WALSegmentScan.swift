/// Walks the frames of one segment held in memory and says where and why the walk stopped.
///
/// Guarantees: visits, in order, exactly the frames from the header up to the first frame
/// that is not valid (checksum, bounds, or LSN ≠ previous + 1); never reads outside `file`.
struct SegmentScan {
    enum Stop: Equatable {
        /// A zero length (or the end of the file) after the last frame, with only zeros after it.
        case clean
        /// Something other than a valid frame or clean zeros at `offset`.
        case bad(offset: Int, reason: String, validFrameFollows: Bool)
    }

    /// Offset just past the last valid frame.
    var end: Int
    /// LSN of the last valid frame, or `firstLSN - 1` if there is none.
    var lastLSN: UInt64
    var frames = 0
    var stop: Stop

    /// Scans `file` (a whole segment whose header said `firstLSN`), calling `visit` with each
    /// frame's LSN, the payload and the frame's offset.
    /// - Complexity: O(file size); a bad frame costs one more pass over the rest of the file.
    static func scan<E: Error>(
        _ file: UnsafeRawBufferPointer, firstLSN: UInt64,
        _ visit: (UInt64, UnsafeRawBufferPointer, Int) throws(E) -> Void
    ) throws(E) -> SegmentScan {
        var offset = WALFormat.headerSize
        var last = firstLSN &- 1
        var count = 0
        while true {
            if file.count - offset < 4 {
                return finish(file, offset, last, count, reason: "incomplete frame length")
            }
            let length = Int(file.u32(at: offset))
            if length == 0 { return finish(file, offset, last, count, reason: "data after the end marker") }
            guard length >= 8, length <= file.count - offset - 8 else {
                return finish(file, offset, last, count, reason: "frame length out of range")
            }
            let lsn = file.u64(at: offset + 8)
            let payload = file.slice(offset + WALFormat.frameHeaderSize..<offset + 8 + length)
            guard WALFormat.frameChecksum(lsn: lsn, payload: payload) == file.u32(at: offset + 4) else {
                return finish(file, offset, last, count, reason: "frame checksum mismatch")
            }
            guard lsn == last &+ 1 else {
                let s = Stop.bad(
                    offset: offset, reason: "LSN \(lsn) where \(last &+ 1) was expected", validFrameFollows: true)
                return SegmentScan(end: offset, lastLSN: last, frames: count, stop: s)
            }
            try visit(lsn, payload, offset)
            last = lsn
            count += 1
            offset += 8 + length
        }
    }

    /// Classifies what follows the last valid frame: clean zeros, or a bad spot (noting whether
    /// a valid frame with a later LSN can be found after it).
    private static func finish(
        _ file: UnsafeRawBufferPointer, _ offset: Int, _ last: UInt64, _ count: Int, reason: String
    ) -> SegmentScan {
        let rest = file.slice(offset..<file.count)
        if rest.allSatisfy({ $0 == 0 }) {
            return SegmentScan(end: offset, lastLSN: last, frames: count, stop: .clean)
        }
        let follows = validFrameExists(in: file, after: offset, lsnAbove: last)
        return SegmentScan(
            end: offset, lastLSN: last, frames: count,
            stop: .bad(offset: offset, reason: reason, validFrameFollows: follows))
    }

    /// Whether some offset after `start` holds a checksum-valid frame whose LSN is above
    /// `lsnAbove` (and within 2³² of it): evidence that the bad spot is not a torn tail.
    /// - Complexity: O(rest of file); a checksum is computed only for plausible candidates.
    static func validFrameExists(in file: UnsafeRawBufferPointer, after start: Int, lsnAbove: UInt64) -> Bool {
        var p = start + 1
        let limit = file.count - WALFormat.frameHeaderSize
        while p <= limit {
            let length = Int(file.u32(at: p))
            if length >= 8, length <= file.count - p - 8 {
                let lsn = file.u64(at: p + 8)
                if lsn > lsnAbove, lsn - lsnAbove <= UInt64(UInt32.max) {
                    let payload = file.slice(p + WALFormat.frameHeaderSize..<p + 8 + length)
                    if WALFormat.frameChecksum(lsn: lsn, payload: payload) == file.u32(at: p + 4) { return true }
                }
            }
            p += 1
        }
        return false
    }
}
