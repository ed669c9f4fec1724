/// A reusable map from one table's ids to another's: `values[id]` holds when
/// `stamps[id] == generation`, so starting over costs nothing.
struct IDMap: Sendable {
    private var stamps: [UInt32] = []
    private var values: [UInt32] = []
    private var generation: UInt32 = 0

    /// Forgets every entry; makes room for ids below `count`.
    mutating func reset(count: Int) {
        generation &+= 1
        if generation == 0 {
            stamps = [UInt32](repeating: 0, count: stamps.count)
            generation = 1
        }
        if stamps.count < count {
            stamps += [UInt32](repeating: 0, count: count - stamps.count)
            values += [UInt32](repeating: 0, count: count - values.count)
        }
    }

    @inline(__always)
    func value(_ id: UInt32) -> UInt32? { stamps[Int(id)] == generation ? values[Int(id)] : nil }

    @inline(__always)
    mutating func set(_ id: UInt32, _ value: UInt32) {
        stamps[Int(id)] = generation
        values[Int(id)] = value
    }
}

/// Scratch id maps kept between drains, so building a delta allocates nothing per cell.
struct DeltaMaps: Sendable {
    var strings = IDMap()
    var callers = IDMap()
}
