/// The key of a session cell: the hour it ended in, customer and user (string ids, user 0 for nil).
struct SessionKey: Hashable, Sendable {
    var hour: UInt32
    var customer: UInt32
    var user: UInt32
}

/// Counts recorded since the last drain: the hot path's storage.
///
/// Lookups live in an open-addressing hash table keyed by `hour << 40 | cell` (linear probing,
/// Fibonacci hashing, at most half full), sized by the cells recorded since the last drain, so
/// it stays in cache when the owner drains often; the slot of the last key is remembered, so
/// the same cell again costs one comparison.
///
/// Guarantees: a slot is occupied exactly when its count is non-zero; each key is in at most
/// one slot; `cellCount` is the number of occupied slots.
/// - Complexity: `add` is O(1) expected, with no allocation except when the table doubles.
struct PendingCounts: Sendable {
    private var keys: [UInt64] = []
    private var counts: [UInt64] = []
    private var shift: UInt64 = 64
    private(set) var cellCount = 0
    private var lastKey: UInt64 = 0
    private var lastSlot = -1
    private(set) var sessions: [SessionKey: SessionTotals] = [:]

    /// The key of `cell` in `hour` (`hour` < 2²⁴, `cell` < 2⁴⁰, which `StatsHour` and
    /// `DimensionTable` guarantee).
    @inline(__always)
    static func key(hour: UInt32, cell: UInt64) -> UInt64 { UInt64(hour) << 40 | cell }

    var isEmpty: Bool { cellCount == 0 && sessions.isEmpty }

    @inline(__always)
    mutating func add(_ n: UInt64, key: UInt64) {
        if key == lastKey && lastSlot >= 0 {
            counts[lastSlot] &+= n
        } else {
            addSlowly(n, key: key)
        }
    }

    private mutating func addSlowly(_ n: UInt64, key: UInt64) {
        guard n > 0 else { return }
        if (cellCount + 1) * 2 > counts.count { grow() }
        let mask = counts.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while counts[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
        if counts[slot] == 0 {
            keys[slot] = key
            cellCount += 1
        }
        counts[slot] &+= n
        lastKey = key
        lastSlot = slot
    }

    private mutating func grow() {
        let capacity = max(1024, counts.count * 2)
        let oldKeys = keys
        let oldCounts = counts
        keys = [UInt64](repeating: 0, count: capacity)
        counts = [UInt64](repeating: 0, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        cellCount = 0
        lastSlot = -1
        for i in oldCounts.indices where oldCounts[i] != 0 { addSlowly(oldCounts[i], key: oldKeys[i]) }
        lastSlot = -1
    }

    mutating func addSession(_ totals: SessionTotals, key: SessionKey) {
        guard totals.count > 0 else { return }
        sessions[key, default: SessionTotals()].add(totals)
    }

    /// Every pending lookup cell, in no particular order.
    func forEachLookup(_ body: (_ hour: UInt32, _ cell: UInt64, _ count: UInt64) -> Void) {
        guard cellCount > 0 else { return }
        for i in counts.indices where counts[i] != 0 {
            body(UInt32(truncatingIfNeeded: keys[i] >> 40), keys[i] & 0xFF_FFFF_FFFF, counts[i])
        }
    }

    /// Forgets every pending count. Keeps the table's capacity for the next interval unless it is
    /// far larger than this one needed.
    mutating func removeAll() {
        if counts.count > 8 * max(1024, cellCount) {
            keys = []
            counts = []
            shift = 64
        } else if cellCount > 0 {
            counts.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
        cellCount = 0
        lastSlot = -1
        sessions.removeAll()
    }
}
