extension String {
    /// `value` in exactly `width` decimal digits (its low-order digits, zero-padded), written
    /// straight into the string: up to 15 bytes stay inline, so nothing is allocated.
    package init(digits value: UInt64, width: Int) {
        self.init(unsafeUninitializedCapacity: width) { buffer in
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                buffer[i] = UInt8(48 + v % 10)
                v /= 10
            }
            return width
        }
    }
}
