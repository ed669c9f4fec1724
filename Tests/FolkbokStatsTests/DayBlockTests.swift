import FolkbokModel
import XCTest

@testable import FolkbokStats

/// A day's cells stay sorted, summed and rolled up through every compaction.
final class DayBlockTests: XCTestCase {
    func test_addInRandomChunks_keepsEveryInvariant_andEveryCount() {
        var table = DimensionTable()
        var callers: [UInt32] = []
        for i in 0..<40 {
            let c = Caller(
                customer: table.intern("customer-\(i % 7)"), region: table.intern(["01", "03", nil][i % 3]),
                user: table.intern(i % 5 == 0 ? nil : "user-\(i)"), category: .region, purpose: .care, contract: .normal
            )
            callers.append(table.intern(c))
        }
        var rng = SeededGenerator(seed: 99)
        var block = DayBlock()
        var naive: [String: UInt64] = [:]
        var added = 0
        while added < 60_000 {
            let chunk = (0..<Int(rng.next() % 3000 + 1)).map { _ -> SettledCell in
                let context = CellCode.context(caller: callers[Int(rng.next() % 40)], slot: UInt32(rng.next() % 20))
                let variant = LookupVariant.possibleIndexes[
                    Int(rng.next() % UInt64(LookupVariant.possibleIndexes.count))]
                let cell = CellCode.cell(context: context, variant: variant)
                let hour = UInt32(rng.next() % 24)
                return SettledCell(
                    group: SettledCell.group(customer: table.customer(ofContext: context), hourOfDay: hour), cell: cell,
                    count: rng.next() % 4 + 1)
            }
            for c in chunk { naive["\(c.group)/\(c.cell)", default: 0] += c.count }
            block.add(chunk, table: table)
            added += chunk.count
            XCTAssertEqual(block.brokenInvariants(table: table), [], "after \(added) cells")
        }
        XCTAssertGreaterThan(block.cells.count, 4096, "compactions happened")
        var seen: [String: UInt64] = [:]
        for c in block.cells + block.tail { seen["\(c.group)/\(c.cell)", default: 0] += c.count }
        XCTAssertEqual(seen, naive)
        block.compact(table: table)
        XCTAssertTrue(block.tail.isEmpty)
        XCTAssertEqual(block.brokenInvariants(table: table), [])
        let customer = table.stringID("customer-3")!
        let range = block.range(ofCustomer: customer)
        XCTAssertFalse(range.isEmpty)
        XCTAssertTrue(block.cells[range].allSatisfy { $0.customer == customer })
        XCTAssertEqual(block.cells.filter { $0.customer == customer }.count, range.count)
    }
}
