/// An open-addressing hash map from a packed 64-bit identity key to a 32-bit row number.
///
/// Guarantees: `UInt64.max` is reserved (it is never a valid key); lookups, inserts and removals
/// keep every other entry findable (linear probing with backward-shift deletion, no tombstones);
/// the load factor stays at or below 3/4. The table may have any size (a key's home slot is the
/// high word of hash × size), so `trim()` can fit it closely after a bulk load.
/// - Complexity: O(1) expected for every operation; 12 bytes per slot.
public struct KeyIndex: Sendable {
    static let empty = UInt64.max
    private var keys: [UInt64]
    private var rows: [UInt32]
    public private(set) var count = 0

    public init(capacity: Int = 16) {
        let size = KeyIndex.size(for: capacity)
        keys = Array(repeating: KeyIndex.empty, count: size)
        rows = Array(repeating: 0, count: size)
    }

    /// The index of rows `0..<count` whose keys `key(row)` gives, sized for them, or the first
    /// row (in the order inserted) whose key an earlier row has. The keys are inserted grouped
    /// by the top bits of their hash, i.e. by the region of the table their home slot is in
    /// (a counting sort: two sequential passes over the keys), so the table is written one
    /// region at a time instead of at random; a bulk load of millions of keys stays in cache.
    /// Lookups are the same whatever the order of inserts.
    static func build(count: Int, key: (Int) -> UInt64) -> (index: KeyIndex, duplicateRow: Int?) {
        var index = KeyIndex(capacity: count)
        // (Empty: the plain empty array; see PostingRun.)
        guard count > 0 else { return (index, nil) }
        for entry in groupedByRegion(count: count, key: key) {
            let before = index.count
            index.set(entry.key, row: entry.row)
            if index.count == before { return (index, Int(entry.row)) }
        }
        return (index, nil)
    }

    /// Positions `0..<count` with their keys, grouped by the region of the table (the top 12
    /// bits of the key's hash) their home slot is in: inserting or looking them up in this
    /// order touches the table one region at a time. A counting sort, two sequential passes.
    static func groupedByRegion(count: Int, key: (Int) -> UInt64) -> [(key: UInt64, row: UInt32)] {
        guard count > 0 else { return [] }
        let bits = 12
        let region = { (key: UInt64) in Int(truncatingIfNeeded: mix64(key) >> UInt64(64 - bits)) }
        var starts = [Int](repeating: 0, count: (1 << bits) + 1)
        for row in 0..<count { starts[region(key(row)) + 1] += 1 }
        for r in 0..<(1 << bits) { starts[r + 1] += starts[r] }
        return [(key: UInt64, row: UInt32)](unsafeUninitializedCapacity: count) { buffer, initialized in
            for row in 0..<count {
                let k = key(row)
                let r = region(k)
                buffer.baseAddress!.advanced(by: starts[r]).initialize(to: (k, UInt32(truncatingIfNeeded: row)))
                starts[r] += 1
            }
            initialized = count
        }
    }

    public var footprintBytes: Int { keys.capacity * 8 + rows.capacity * 4 }

    /// The smallest table that holds `count` entries at load 3/4.
    private static func size(for count: Int) -> Int { max(16, count * 4 / 3 + 1) }

    @inline(__always) private func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: mix64(key).multipliedFullWidth(by: UInt64(keys.count)).high)
    }

    @inline(__always) private func after(_ slot: Int) -> Int { slot + 1 == keys.count ? 0 : slot + 1 }

    public func row(for key: UInt64) -> UInt32? {
        // The reserved key would match the first empty slot: it is never found.
        guard key != KeyIndex.empty else { return nil }
        var slot = home(key)
        while true {
            let k = keys[slot]
            if k == key { return rows[slot] }
            if k == KeyIndex.empty { return nil }
            slot = after(slot)
        }
    }

    /// Inserts or replaces the row for `key`.
    public mutating func set(_ key: UInt64, row: UInt32) {
        precondition(key != KeyIndex.empty, "UInt64.max is reserved as the empty marker")
        if (count + 1) * 4 > keys.count * 3 { resize(keys.count * 2) }
        var slot = home(key)
        while true {
            let k = keys[slot]
            if k == key {
                rows[slot] = row
                return
            }
            if k == KeyIndex.empty {
                keys[slot] = key
                rows[slot] = row
                count += 1
                return
            }
            slot = after(slot)
        }
    }

    /// Removes `key`; returns its row if it was present.
    @discardableResult
    public mutating func remove(_ key: UInt64) -> UInt32? {
        var slot = home(key)
        while keys[slot] != key {
            if keys[slot] == KeyIndex.empty { return nil }
            slot = after(slot)
        }
        let removed = rows[slot]
        // Backward shift: pull later entries of the probe run into the hole when their home allows it.
        let size = keys.count
        var hole = slot
        var next = after(hole)
        while keys[next] != KeyIndex.empty {
            let h = home(keys[next])
            let distanceToNext = (next - h + size) % size
            let distanceToHole = (hole - h + size) % size
            if distanceToHole <= distanceToNext {
                keys[hole] = keys[next]
                rows[hole] = rows[next]
                hole = next
            }
            next = after(next)
        }
        keys[hole] = KeyIndex.empty
        count -= 1
        return removed
    }

    /// Shrinks the table to the smallest size that keeps the load at or below 3/4.
    /// Whether `n` more keys would make the table resize.
    public func wouldResize(inserting n: Int) -> Bool { (count + n) * 4 > keys.count * 3 }

    /// Gives the table buffers of its own (shared with no copy) and room for `n` more keys, so
    /// that the next `n` inserts neither copy nor resize.
    public mutating func prepare(inserting n: Int) {
        if wouldResize(inserting: n) {
            resize(max(keys.count * 2, KeyIndex.size(for: count + n)))
        } else {
            keys.reserveCapacity(keys.capacity)
            rows.reserveCapacity(rows.capacity)
        }
    }

    public mutating func trim() {
        let size = KeyIndex.size(for: count)
        if size < keys.count { resize(size) }
    }

    /// After a bulk load: `trim`, then large tables reallocated (`Array.moveOutOfHeapArenas`).
    mutating func moveOutOfHeapArenas() {
        let size = KeyIndex.size(for: count)
        if size < keys.count {
            resize(size)  // fresh tables already
        } else {
            keys.moveOutOfHeapArenas()
            rows.moveOutOfHeapArenas()
        }
    }

    private mutating func resize(_ size: Int) {
        let oldKeys = keys, oldRows = rows
        keys = Array(repeating: KeyIndex.empty, count: size)
        rows = Array(repeating: 0, count: size)
        count = 0
        for i in oldKeys.indices where oldKeys[i] != KeyIndex.empty { set(oldKeys[i], row: oldRows[i]) }
    }
}
