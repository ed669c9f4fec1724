/// Interns strings into one byte arena so that a repeated string (a given name, a street,
/// a city) is stored once and referred to by a 32-bit id.
///
/// Guarantees: id 0 means "no string" (nil); `intern` returns the same id for equal strings;
/// `string(id)` returns exactly the interned text. Strings are never freed (ids stay valid for the
/// pool's life; a snapshot rewrite is where a pool would be compacted).
/// - Complexity: `intern` and `string` are O(length) expected.
public struct StringPool: Sendable {
    var arena: [UInt8] = []
    /// `starts[id]` is where string `id` begins; `starts[id + 1]` where it ends. Id 0 is the nil string.
    var starts: [UInt32] = [0, 0]
    /// Open-addressing table of ids (0 = empty slot); its count is a power of two.
    var table: [UInt32] = Array(repeating: 0, count: 1024)

    public init() {}

    /// Number of distinct strings held (not counting nil).
    public var count: Int { starts.count - 2 }

    /// Bytes held by the arena and tables (for memory accounting).
    public var footprintBytes: Int { arena.capacity + starts.capacity * 4 + table.capacity * 4 }

    public mutating func intern(_ string: String?) -> UInt32 {
        guard var s = string else { return 0 }
        return s.withUTF8 { intern(bytes: $0) }
    }

    public mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let hash = StringPool.hash(bytes)
        let mask = table.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = table[slot]
            if id == 0 { break }
            if equals(id: id, bytes) { return id }
            slot = (slot + 1) & mask
        }
        let id = UInt32(starts.count - 1)
        arena.append(contentsOf: bytes)
        starts.append(UInt32(arena.count))
        table[slot] = id
        if count * 4 > table.count * 3 { grow() }
        return id
    }

    /// The id of `string` if it was interned, without interning it.
    public func id(of string: String) -> UInt32? {
        var s = string
        return s.withUTF8 { bytes in
            let mask = table.count - 1
            var slot = Int(truncatingIfNeeded: StringPool.hash(bytes)) & mask
            while table[slot] != 0 {
                if equals(id: table[slot], bytes) { return table[slot] }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    public func string(_ id: UInt32) -> String? {
        guard id != 0 else { return nil }
        return withBytes(id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the UTF-8 bytes of string `id` (empty for id 0).
    public func withBytes<R>(_ id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let lo = Int(starts[Int(id)]), hi = Int(starts[Int(id) + 1])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }

    private func equals(id: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withBytes(id) { stored in
            stored.count == bytes.count
                && (stored.isEmpty || memcmpEqual(stored.baseAddress!, bytes.baseAddress!, stored.count))
        }
    }

    /// Gives the pool buffers of its own (shared with no copy of it), with room for a few
    /// more strings, so that the next interns neither copy nor (usually) reallocate.
    mutating func makeUnique() {
        arena.reserveCapacity(max(arena.capacity, arena.count + 4096))
        starts.reserveCapacity(max(starts.capacity, starts.count + 256))
        table.reserveCapacity(table.capacity)
    }

    /// Gives back the arena's and the ids' spare capacity after a bulk load
    /// (`Array.releaseSpareCapacity`); the table keeps its size (it is a power of two sized by
    /// the count already).
    mutating func releaseSpareCapacity() {
        arena.releaseSpareCapacity()
        starts.releaseSpareCapacity()
    }

    /// After a bulk load: every array released of spare capacity, large ones reallocated
    /// (`Array.moveOutOfHeapArenas`).
    mutating func moveOutOfHeapArenas() {
        arena.moveOutOfHeapArenas()
        starts.moveOutOfHeapArenas()
        table.moveOutOfHeapArenas()
    }

    private mutating func grow() {
        var bigger = [UInt32](repeating: 0, count: table.count * 2)
        let mask = bigger.count - 1
        for id in 1..<UInt32(starts.count - 1) {
            var slot = Int(truncatingIfNeeded: withBytes(id) { StringPool.hash($0) }) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = id
        }
        table = bigger
    }

    /// FNV-1a, then a final avalanche so low bits are usable as a table index.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return mix64(h)
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    for i in 0..<n where a[i] != b[i] { return false }
    return true
}

/// A 64-bit finaliser (from SplitMix64 / MurmurHash3's fmix64) that spreads every input bit.
@inline(__always)
public func mix64(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
}
