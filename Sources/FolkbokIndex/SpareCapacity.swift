extension Array {
    /// Gives back spare capacity after a bulk load (an array grown by doubling may leave up to
    /// half of its storage unused): reallocated to its count when over 1/16 of it is spare.
    /// O(count); once per bulk load, not per batch.
    mutating func releaseSpareCapacity() {
        if capacity > count + count / 16 { self = withUnsafeBufferPointer { Array($0) } }
    }
}
