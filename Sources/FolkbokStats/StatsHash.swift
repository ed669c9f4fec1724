/// Fast non-cryptographic hashes for `IDIndex`, seeded once per process so hash values (and
/// collisions) cannot be predicted from outside.
enum StatsHash {
    private static let seed: UInt64 = {
        var random = SystemRandomNumberGenerator()
        return random.next()
    }()

    /// A 64-bit mix (the finaliser of MurmurHash3).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// The hash of a string's UTF-8 bytes, eight at a time.
    static func string(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { bytes in
            var h = seed ^ UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
            var i = 0
            while i + 8 <= bytes.count {
                let word = UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: i, as: UInt64.self)
                h = mix(h ^ word)
                i += 8
            }
            var last: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count {
                last |= UInt64(bytes[i]) << shift
                shift += 8
                i += 1
            }
            return mix(h ^ last ^ 0x5555_5555_5555_5555)
        }
    }

    /// The hash of two words.
    @inline(__always)
    static func words(_ a: UInt64, _ b: UInt64) -> UInt64 { mix(mix(seed ^ a) ^ b) }
}
