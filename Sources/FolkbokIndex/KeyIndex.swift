/// An open-addressing hash map from a packed 64-bit identity key to a 32-bit row number.
///
/// Guarantees: `UInt64.max` is reserved (it is never a valid key); lookups, inserts and removals
/// keep every other entry findable (linear probing with backward-shift deletion, no tombstones);
/// the load factor stays at or below 3/4.
/// - Complexity: O(1) expected for every operation; 12 bytes per slot.
public struct KeyIndex: Sendable {
    static let empty = UInt64.max
    private var keys: [UInt64]
    private var rows: [UInt32]
    public private(set) var count = 0

    public init(capacity: Int = 16) {
        var size = 16
        while size * 3 < capacity * 4 { size <<= 1 }
        keys = Array(repeating: KeyIndex.empty, count: size)
        rows = Array(repeating: 0, count: size)
    }

    public var footprintBytes: Int { keys.capacity * 8 + rows.capacity * 4 }

    @inline(__always) private func home(_ key: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: mix64(key)) & mask }

    public func row(for key: UInt64) -> UInt32? {
        let mask = keys.count - 1
        var slot = home(key, mask)
        while true {
            let k = keys[slot]
            if k == key { return rows[slot] }
            if k == KeyIndex.empty { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// Inserts or replaces the row for `key`.
    public mutating func set(_ key: UInt64, row: UInt32) {
        precondition(key != KeyIndex.empty, "UInt64.max is reserved as the empty marker")
        if (count + 1) * 4 > keys.count * 3 { resize(keys.count * 2) }
        let mask = keys.count - 1
        var slot = home(key, mask)
        while true {
            let k = keys[slot]
            if k == key { rows[slot] = row; return }
            if k == KeyIndex.empty { keys[slot] = key; rows[slot] = row; count += 1; return }
            slot = (slot + 1) & mask
        }
    }

    /// Removes `key`; returns its row if it was present.
    @discardableResult
    public mutating func remove(_ key: UInt64) -> UInt32? {
        let mask = keys.count - 1
        var slot = home(key, mask)
        while keys[slot] != key {
            if keys[slot] == KeyIndex.empty { return nil }
            slot = (slot + 1) & mask
        }
        let removed = rows[slot]
        // Backward-shift: pull later entries of the probe run into the hole when their home allows it.
        var hole = slot
        var next = (hole + 1) & mask
        while keys[next] != KeyIndex.empty {
            let h = home(keys[next], mask)
            let distanceToNext = (next - h) & mask
            let distanceToHole = (hole - h) & mask
            if distanceToHole <= distanceToNext {
                keys[hole] = keys[next]
                rows[hole] = rows[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        keys[hole] = KeyIndex.empty
        count -= 1
        return removed
    }

    private mutating func resize(_ size: Int) {
        let oldKeys = keys, oldRows = rows
        keys = Array(repeating: KeyIndex.empty, count: size)
        rows = Array(repeating: 0, count: size)
        count = 0
        for i in oldKeys.indices where oldKeys[i] != KeyIndex.empty { set(oldKeys[i], row: oldRows[i]) }
    }
}
