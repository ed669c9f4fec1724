/// Eight-byte (SWAR) tests of string bytes, for the reader and the writer. A plain byte is
/// printable ASCII other than `"` and `\`: a scanner passes it without a decision, and a
/// writer copies it as it is. Names, keys and streets are mostly runs of plain bytes.
///
/// Guarantees: `end(of:from:to:)` answers exactly what the byte-by-byte loop
/// `while i < end, isPlain(base[i]) { i += 1 }` answers, and `escapeBytes` is nonzero exactly
/// when one of the eight bytes is below 0x20, a quote or a backslash (`PlainRunTests`).
@usableFromInline
enum PlainRun {
    @inlinable static var ones: UInt64 { 0x0101_0101_0101_0101 }
    @inlinable static var highs: UInt64 { 0x8080_8080_8080_8080 }

    /// Whether a scanner may pass `b` without looking at it: 0x20…0x7F except `"` and `\`.
    @inline(__always)
    static func isPlain(_ b: UInt8) -> Bool { b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C }

    /// The first index in `start..<end` whose byte is not plain, or `end`.
    @inline(__always)
    static func end(of base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var i = start
        while i + 8 <= end {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            // Bytes of 0x80 and up are not plain either (UTF-8 sequences, checked one by one).
            let special = escapeBytes(word) | (word & highs)
            // The lowest flagged byte is exact (a borrow only flags bytes above a true hit).
            if special != 0 { return i + special.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < end, isPlain(base[i]) { i += 1 }
        return i
    }

    /// The high bit of each byte of `word` (little-endian) below 0x20, a quote or a
    /// backslash; bytes above the lowest such byte may be flagged too.
    @inlinable @inline(__always)
    static func escapeBytes(_ word: UInt64) -> UInt64 {
        let control = (word &- ones &* 0x20) & ~word & highs
        return control | zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C))
    }

    @inlinable @inline(__always)
    static func zeroBytes(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
}
