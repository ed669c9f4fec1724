import CFolkbokSys

extension Array {
    /// Gives back spare capacity after a bulk load (an array grown by doubling may leave up to
    /// half of its storage unused): reallocated to its count when over 1/16 of it is spare.
    /// O(count); once per bulk load, not per batch.
    mutating func releaseSpareCapacity() {
        if capacity > count + count / 16 { self = withUnsafeBufferPointer { Array($0) } }
    }

    /// `releaseSpareCapacity`, and a large array (`FB_LARGE_ALLOCATION_BYTES` or more) is
    /// reallocated even without spare capacity. Called once a bulk load is over and large
    /// allocations are mappings of their own again (`fb_bulk_allocations(0)`): the array then
    /// leaves the heap arenas the load shared with its batches, whose freed memory
    /// `fb_release_free_memory` can give back whole instead of around the store's arrays.
    /// O(count); once per bulk load, not per batch.
    mutating func moveOutOfHeapArenas() {
        if capacity > count + count / 16 || capacity * MemoryLayout<Element>.stride >= FB_LARGE_ALLOCATION_BYTES {
            self = withUnsafeBufferPointer { Array($0) }
        }
    }
}

extension Dictionary {
    /// After a bulk load (`Array.moveOutOfHeapArenas`): rebuilt at the size its count needs. A
    /// dictionary never shrinks, so one whose entries were removed during the load (a `full`
    /// import's removals) would keep room for them; a rebuilt one is also a fresh allocation.
    /// Each value is stored as `copied` answers it (a copy with storage of its own).
    /// O(count); once per bulk load, not per batch.
    mutating func moveOutOfHeapArenas(_ copied: (Value) -> Value = { $0 }) {
        guard !isEmpty else {
            self = [:]
            return
        }
        var fresh = Self(minimumCapacity: count)
        for (key, value) in self { fresh[key] = copied(value) }
        self = fresh
    }
}
