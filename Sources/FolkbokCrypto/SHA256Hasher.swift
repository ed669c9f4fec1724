import CFolkbokSys

/// Incremental SHA-256 (FIPS 180-4): feed bytes in pieces with `update`, then `finalize`.
///
/// Guarantees: the digest depends only on the concatenation of everything passed to `update`,
/// never on how it was split. `finalize` may be called once; the hasher is spent afterwards
/// (a later `update` or `finalize` traps).
public struct SHA256Hasher: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    /// Bytes of an incomplete block, waiting for the rest (`pendingCount` of them), in place.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private var length: UInt64 = 0
    private var finished = false
    /// Compress with the processor's SHA extensions (else in Swift): both give the same digest.
    private let hardware: Bool

    public init() { self.init(hardware: Self.hardwareAvailable) }

    /// - Parameter hardware: use the SHA extensions; only where `hardwareAvailable` (tests
    ///   set false to check the two ways against each other).
    init(hardware: Bool) {
        precondition(!hardware || Self.hardwareAvailable, "this processor has no SHA extensions")
        self.hardware = hardware
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Hasher used after finalize")
        length &+= UInt64(bytes.count)
        var i = 0
        if pendingCount > 0 {
            let take = min(64 - pendingCount, bytes.count)
            keep(UnsafeRawBufferPointer(rebasing: bytes[0..<take]))
            i = take
            guard pendingCount == 64 else { return }
            var block = pending
            withUnsafeBytes(of: &block) { compress($0, at: 0) }
            pendingCount = 0
        }
        if hardware && bytes.count - i >= 64 {
            let blocks = (bytes.count - i) / 64
            withUnsafeMutableBytes(of: &state) { words in
                Self.hardwareBlocks(words, bytes.baseAddress! + i, blocks)
            }
            i += blocks * 64
        }
        while bytes.count - i >= 64 {
            compress(bytes, at: i)
            i += 64
        }
        if i < bytes.count { keep(UnsafeRawBufferPointer(rebasing: bytes[i...])) }
    }

    /// Appends bytes to the incomplete block (they fit).
    private mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        let at = pendingCount
        withUnsafeMutableBytes(of: &pending) { block in
            UnsafeMutableRawBufferPointer(rebasing: block[at..<(at + bytes.count)]).copyMemory(from: bytes)
        }
        pendingCount += bytes.count
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Pads the message and returns the 32-byte digest.
    public mutating func finalize() -> [UInt8] {
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        finalize(appendingTo: &digest)
        return digest
    }

    /// Pads the message and appends the 32-byte digest to `out` (no array of its own).
    public mutating func finalize(appendingTo out: inout [UInt8]) {
        precondition(!finished, "SHA256Hasher finalized twice")
        let bitLength = length &* 8
        // 0x80, zeros to 56 mod 64, the bit length big-endian: at most 72 bytes, on the stack.
        var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        let count = (pendingCount + 1 + 8 + 63) / 64 * 64 - pendingCount
        withUnsafeMutableBytes(of: &tail) { t in
            t[0] = 0x80
            for k in 0..<8 { t[count - 8 + k] = UInt8(truncatingIfNeeded: bitLength >> UInt64(56 - 8 * k)) }
        }
        let savedLength = length
        withUnsafeBytes(of: &tail) { update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        length = savedLength
        finished = true
        let words = state
        withUnsafeBytes(of: words) { raw in
            for w in 0..<8 {
                let word = raw.load(fromByteOffset: 4 * w, as: UInt32.self)
                out.append(UInt8(word >> 24))
                out.append(UInt8(truncatingIfNeeded: word >> 16))
                out.append(UInt8(truncatingIfNeeded: word >> 8))
                out.append(UInt8(truncatingIfNeeded: word))
            }
        }
    }

    /// Processes the 64-byte block of `bytes` starting at `offset`.
    /// Compresses `blocks` blocks at `data` into the state's words with the SHA extensions.
    private static func hardwareBlocks(_ words: UnsafeMutableRawBufferPointer, _ data: UnsafeRawPointer, _ blocks: Int)
    {
        SHA256Constants.k.withUnsafeBufferPointer { k in
            fb_sha256_blocks(words.baseAddress!.assumingMemoryBound(to: UInt32.self), data, blocks, k.baseAddress!)
        }
    }

    /// Whether this processor has the SHA extensions.
    public static let hardwareAvailable = fb_sha256_available() != 0

    private mutating func compress(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        if hardware {
            withUnsafeMutableBytes(of: &state) { words in
                Self.hardwareBlocks(words, bytes.baseAddress! + offset, 1)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for t in 0..<16 {
                w[t] = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset + 4 * t, as: UInt32.self))
            }
            for t in 16..<64 {
                let s0 = w[t - 15].rotated(7) ^ w[t - 15].rotated(18) ^ (w[t - 15] >> 3)
                let s1 = w[t - 2].rotated(17) ^ w[t - 2].rotated(19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, h) = state
            SHA256Constants.k.withUnsafeBufferPointer { k in
                for t in 0..<64 {
                    let s1 = e.rotated(6) ^ e.rotated(11) ^ e.rotated(25)
                    let ch = (e & f) ^ (~e & g)
                    let t1 = h &+ s1 &+ ch &+ k[t] &+ w[t]
                    let s0 = a.rotated(2) ^ a.rotated(13) ^ a.rotated(22)
                    let maj = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = s0 &+ maj
                    (h, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
                }
            }
            state = (
                state.0 &+ a, state.1 &+ b, state.2 &+ c, state.3 &+ d, state.4 &+ e, state.5 &+ f, state.6 &+ g,
                state.7 &+ h
            )
        }
    }
}

extension UInt32 {
    /// Rotates right by `n` bits.
    @inline(__always)
    fileprivate func rotated(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}
