/// Counts that are no longer pending, laid out for reading: lookups in one `DayBlock` per UTC
/// day (sorted by customer for `stats.get`, with the public roll-up for `stats.open`), session
/// totals by customer and day. Ids are the owning `DimensionTable`'s.
///
/// Guarantees: no stored count is 0; every cell's context belongs to a caller of the table.
struct CounterStore: Sendable {
    /// Days since the epoch → that day's lookups.
    private(set) var days: [UInt32: DayBlock] = [:]
    /// `customer << 32 | day` → `hourOfDay << 32 | user` → totals.
    private(set) var sessions: [UInt64: [UInt64: SessionTotals]] = [:]
    /// Days whose block has an unsorted tail.
    private var unsortedDays: Set<UInt32> = []
    /// The latest day counted.
    private var newestDay: UInt32 = 0

    var isEmpty: Bool { days.isEmpty && sessions.isEmpty }

    /// Adds lookup cells (ids of `table`), one day's share at a time. Counts arrive in time
    /// order, so a day is compacted once a later day has counts (it is then complete), or when
    /// its tail grows long.
    /// - Complexity: O(cells) plus their share of day compactions, about one sort per cell.
    mutating func addLookups(_ more: [LookupCell], table: DimensionTable) {
        var byDay: [(day: UInt32, cells: [SettledCell])] = []
        for c in more where c.count > 0 {
            let day = c.hour / 24
            let customer = table.customer(ofContext: CellCode.context(of: c.cell))
            let settled = SettledCell(
                group: SettledCell.group(customer: customer, hourOfDay: c.hour % 24), cell: c.cell, count: c.count)
            if let i = byDay.lastIndex(where: { $0.day == day }) {
                byDay[i].cells.append(settled)
            } else {
                byDay.append((day, [settled]))
            }
        }
        for (day, cells) in byDay {
            if days[day, default: DayBlock()].add(cells, table: table) {
                unsortedDays.insert(day)
            } else {
                unsortedDays.remove(day)
            }
            newestDay = max(newestDay, day)
        }
        for day in unsortedDays where day < newestDay {
            days[day]!.compact(table: table)
            unsortedDays.remove(day)
        }
    }

    mutating func addSessions(_ totals: SessionTotals, hour: UInt32, customer: UInt32, user: UInt32) {
        guard totals.count > 0 else { return }
        sessions[UInt64(customer) << 32 | UInt64(hour / 24), default: [:]][
            UInt64(hour % 24) << 32 | UInt64(user), default: SessionTotals()
        ]
        .add(totals)
    }

    /// Every lookup cell, in no particular order (a cell may appear more than once).
    func forEachLookup(_ body: (_ hour: UInt32, _ cell: UInt64, _ count: UInt64) -> Void) {
        for (day, block) in days {
            for c in block.cells { body(day * 24 + c.hourOfDay, c.cell, c.count) }
            for c in block.tail { body(day * 24 + c.hourOfDay, c.cell, c.count) }
        }
    }

    /// Every lookup cell, day by day in ascending order.
    func allLookups() -> [LookupCell] {
        var out: [LookupCell] = []
        out.reserveCapacity(days.values.reduce(0) { $0 + $1.cells.count + $1.tail.count })
        for day in days.keys.sorted() {
            let block = days[day]!
            for c in block.cells { out.append(LookupCell(hour: day * 24 + c.hourOfDay, cell: c.cell, count: c.count)) }
            for c in block.tail { out.append(LookupCell(hour: day * 24 + c.hourOfDay, cell: c.cell, count: c.count)) }
        }
        return out
    }

    /// Every session cell, in no particular order.
    func forEachSession(_ body: (_ hour: UInt32, _ customer: UInt32, _ user: UInt32, _ totals: SessionTotals) -> Void) {
        for (dayKey, cells) in sessions {
            let day = UInt32(truncatingIfNeeded: dayKey)
            let customer = UInt32(dayKey >> 32)
            for (cell, totals) in cells {
                body(day * 24 + UInt32(cell >> 32), customer, UInt32(truncatingIfNeeded: cell), totals)
            }
        }
    }
}
