/// One settled lookup count in a day: `group = customer << 8 | hour of day`, `cell` as
/// `CellCode` makes it.
struct SettledCell: Sendable {
    var group: UInt64
    var cell: UInt64
    var count: UInt64

    @inline(__always)
    static func group(customer: UInt32, hourOfDay: UInt32) -> UInt64 { UInt64(customer) << 8 | UInt64(hourOfDay) }

    @inline(__always)
    var customer: UInt32 { UInt32(truncatingIfNeeded: group >> 8) }

    @inline(__always)
    var hourOfDay: UInt32 { UInt32(truncatingIfNeeded: group & 0xFF) }

    @inline(__always)
    static func precedes(_ a: SettledCell, _ b: SettledCell) -> Bool {
        a.group < b.group || a.group == b.group && a.cell < b.cell
    }
}

/// One day's public roll-up count.
struct OpenCell: Sendable {
    var id: UInt32
    var count: UInt64
}

/// The settled lookup counts of one UTC day, laid out for scanning: `cells` sorted by
/// (customer, hour, cell) so one customer's counts are a contiguous range, and the public
/// roll-up of `cells` sorted by id; counts added since the last compaction wait unsorted in
/// `tail`, which readers scan as well.
///
/// Guarantees: `cells` is strictly ascending by (group, cell) with no zero count; `open` is
/// strictly ascending by id and equals the roll-up of `cells` (not of `tail`); after `add`,
/// `tail` is shorter than `longTail` entries or a quarter of `cells`, whichever is more.
/// - Complexity: `add` is amortised O(1) plus its share of a compaction (sorting the tail and
///   merging it in), about O(log tail) per count.
struct DayBlock: Sendable {
    private(set) var cells: [SettledCell] = []
    private(set) var tail: [SettledCell] = []
    private(set) var open: [OpenCell] = []

    /// Appends to the tail, compacting when it grows long; answers whether a tail remains.
    @discardableResult
    mutating func add(_ more: [SettledCell], table: DimensionTable) -> Bool {
        tail.append(contentsOf: more)
        if tail.count >= max(Self.longTail, cells.count / 4) { compact(table: table) }
        return !tail.isEmpty
    }

    /// The tail length that always triggers a compaction.
    static let longTail = 16_384

    /// Sorts the tail and merges it (and its roll-up) in, in place.
    mutating func compact(table: DimensionTable) {
        guard !tail.isEmpty else { return }
        tail.sort(by: SettledCell.precedes)
        Self.coalesce(&tail, same: { $0.group == $1.group && $0.cell == $1.cell }, add: { $0.count &+= $1.count })
        let opened = Self.rollUp(tail, table: table)
        Self.merge(
            &cells, tail, precedes: SettledCell.precedes,
            same: { $0.group == $1.group && $0.cell == $1.cell }, add: { $0.count &+= $1.count })
        Self.merge(&open, opened, precedes: { $0.id < $1.id }, same: { $0.id == $1.id }, add: { $0.count &+= $1.count })
        tail.removeAll(keepingCapacity: true)
    }

    /// The roll-up of `cells`, sorted by id: summed in a dense array over every roll-up id
    /// (a few thousand), so only the distinct ids are sorted.
    private static func rollUp(_ cells: [SettledCell], table: DimensionTable) -> [OpenCell] {
        var sums = [UInt64](repeating: 0, count: table.openIDCount)
        var touched: [UInt32] = []
        for c in cells {
            let id = table.openID(ofCell: c.cell)
            if sums[Int(id)] == 0 { touched.append(id) }
            sums[Int(id)] &+= c.count
        }
        touched.sort()
        return touched.map { OpenCell(id: $0, count: sums[Int($0)]) }
    }

    /// Sums runs of equal neighbours of a sorted array into one element.
    private static func coalesce<T>(_ a: inout [T], same: (T, T) -> Bool, add: (inout T, T) -> Void) {
        guard a.count > 1 else { return }
        var kept = 0
        for i in 1..<a.count {
            if same(a[kept], a[i]) {
                add(&a[kept], a[i])
            } else {
                kept += 1
                a[kept] = a[i]
            }
        }
        a.removeLast(a.count - kept - 1)
    }

    /// Merges sorted, duplicate-free `b` into sorted, duplicate-free `a`, summing equal
    /// elements, in `a`'s own storage: from the back, then closing the gap the sums left.
    private static func merge<T>(
        _ a: inout [T], _ b: [T], precedes: (T, T) -> Bool, same: (T, T) -> Bool,
        add: (inout T, T) -> Void
    ) {
        guard !b.isEmpty else { return }
        var i = a.count - 1
        var j = b.count - 1
        a.append(contentsOf: b)
        var out = a.count - 1
        while j >= 0 {
            if i >= 0 && same(a[i], b[j]) {
                var sum = a[i]
                add(&sum, b[j])
                a[out] = sum
                i -= 1
                j -= 1
            } else if i >= 0 && precedes(b[j], a[i]) {
                a[out] = a[i]
                i -= 1
            } else {
                a[out] = b[j]
                j -= 1
            }
            out -= 1
        }
        let gap = out - i
        if gap > 0 { a.removeSubrange((i + 1)..<(out + 1)) }
    }

    /// The range of `cells` holding `customer`'s counts.
    func range(ofCustomer customer: UInt32) -> Range<Int> {
        let low = SettledCell.group(customer: customer, hourOfDay: 0)
        let high = SettledCell.group(customer: customer + 1, hourOfDay: 0)
        return lowerBound(low)..<lowerBound(high)
    }

    private func lowerBound(_ group: UInt64) -> Int {
        var lo = 0
        var hi = cells.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cells[mid].group < group { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
