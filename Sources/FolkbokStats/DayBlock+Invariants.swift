/// `DayBlock`'s guarantees as checkable facts, for tests after every mutation.
extension DayBlock {
    /// Each broken fact, as a sentence; empty when the block is sound.
    func brokenInvariants(table: DimensionTable) -> [String] {
        var broken: [String] = []
        for i in cells.indices {
            if cells[i].count == 0 { broken.append("cell \(i) has count 0") }
            if i > 0 && !SettledCell.precedes(cells[i - 1], cells[i]) {
                broken.append("cells \(i - 1) and \(i) are not strictly ascending")
            }
            if cells[i].customer != table.customer(ofContext: CellCode.context(of: cells[i].cell)) {
                broken.append("cell \(i) is filed under another customer than its caller's")
            }
        }
        for i in open.indices where i > 0 && open[i - 1].id >= open[i].id {
            broken.append("roll-up entries \(i - 1) and \(i) are not strictly ascending")
        }
        var rollup: [UInt32: UInt64] = [:]
        for c in cells { rollup[table.openID(ofCell: c.cell), default: 0] += c.count }
        if rollup != Dictionary(uniqueKeysWithValues: open.map { ($0.id, $0.count) }) {
            broken.append("the roll-up differs from the sum of the cells")
        }
        if tail.count >= max(Self.longTail, cells.count / 4) {
            broken.append("the tail has \(tail.count) cells, over the limit")
        }
        return broken
    }
}
