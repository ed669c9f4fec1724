import CFolkbokSys

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of every on-disk frame.
///
/// Guarantees: the standard CRC-32C (init 0xFFFFFFFF, final xor 0xFFFFFFFF), so
/// `checksum("123456789") == 0xE3069283`; `seed` continues a running checksum, so
/// `checksum(a + b) == checksum(b, seed: checksum(a))`. The processor's CRC32 instruction where
/// there is one (SSE 4.2), else pure Swift slicing-by-8; both give the same results (tested).
public enum CRC32C {
    /// Whether `checksum` uses the CRC32 instruction.
    static let usesInstruction = fb_crc32c_available() != 0

    /// Eight 256-entry tables, laid out one after another (table k at `k * 256`).
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let prev = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (prev >> 8) ^ t[Int(prev & 0xFF)]
            }
        }
        return t
    }()

    /// The checksum of `bytes`, continuing from `seed` (a previous result, or 0 to start).
    /// - Complexity: O(n), eight bytes per step.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard usesInstruction, let base = bytes.baseAddress else { return software(bytes, seed: seed) }
        return fb_crc32c(seed, base, bytes.count)
    }

    /// The slicing-by-8 checksum (any processor).
    static func software(_ bytes: UnsafeRawBufferPointer, seed: UInt32) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            var crc = ~seed
            var i = 0
            let n = bytes.count
            while i + 8 <= n {
                let lo = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self)) ^ crc
                let hi = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self))
                crc =
                    t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int(lo >> 8 & 0xFF)]
                    ^ t[5 * 256 + Int(lo >> 16 & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                    ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int(hi >> 8 & 0xFF)]
                    ^ t[1 * 256 + Int(hi >> 16 & 0xFF)] ^ t[Int(hi >> 24)]
                i += 8
            }
            while i < n {
                crc = t[Int((crc ^ UInt32(bytes[i])) & 0xFF)] ^ (crc >> 8)
                i += 1
            }
            return ~crc
        }
    }

    /// The checksum of a byte array.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The checksum of `bytes`, continuing from `seed`.
    public static func checksum(_ bytes: [UInt8], seed: UInt32) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
