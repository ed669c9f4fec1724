/// Number output without intermediate `String`s for integers.
///
/// Guarantees: integers are written in plain decimal (`Int.min` included); doubles are
/// written as the shortest text that round-trips, integral values below 2^53 without a
/// fraction (`2`, `-0`), and NaN or infinities as `null`.
extension JSONWriter {
    public mutating func int(_ v: Int) {
        if v < 0 { bytes.append(0x2D) }
        uint(UInt64(v.magnitude))
    }

    public mutating func uint(_ v: UInt64) {
        var digits = 1
        var rest = v / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0x30, count: digits))
        bytes.withUnsafeMutableBufferPointer { out in
            var n = v
            var i = start + digits
            repeat {
                i -= 1
                out[i] = 0x30 &+ UInt8(truncatingIfNeeded: n % 10)
                n /= 10
            } while n > 0
        }
    }

    public mutating func double(_ v: Double) {
        guard v.isFinite else { return null() }
        if v.rounded(.towardZero) == v && v.magnitude < 9_007_199_254_740_992 {
            if v == 0 && v.sign == .minus { return raw("-0") }
            return int(Int(v))
        }
        bytes.append(contentsOf: v.description.utf8)
    }
}
