/// An open-addressing index from 64-bit hashes to dense ids (0, 1, 2, …), for interning: the
/// owner keeps the values, supplies their hashes and says whether an id's value matches.
///
/// It exists because `Dictionary` hashes with SipHash through `Hasher`, several times slower
/// than `StatsHash` for the short strings and small structs interned on the hot path whenever
/// the session changes.
///
/// Guarantees: ids are assigned in insertion order and never change; the table is at most half
/// full; a lookup compares full 64-bit hashes before asking the owner.
/// - Complexity: `find` and `insert` are O(1) expected.
struct IDIndex: Sendable {
    /// `id + 1` per slot, 0 for empty.
    private var slots: [UInt32] = []
    private var hashes: [UInt64] = []
    private var shift: UInt64 = 64

    var count: Int { hashes.count }

    @inline(__always)
    func find(_ hash: UInt64, _ isMatch: (UInt32) -> Bool) -> UInt32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            let id = entry - 1
            if hashes[Int(id)] == hash && isMatch(id) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// Adds a value not in the index; answers its id.
    mutating func insert(_ hash: UInt64) -> UInt32 {
        let id = UInt32(hashes.count)
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            rebuild(capacity: max(64, slots.count * 2))
        } else {
            place(id)
        }
        return id
    }

    private mutating func place(_ id: UInt32) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: (hashes[Int(id)] &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id + 1
    }

    private mutating func rebuild(capacity: Int) {
        slots = [UInt32](repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for id in hashes.indices { place(UInt32(id)) }
    }
}
