import FolkbokModel
import XCTest

@testable import FolkbokStats

/// Interning gives dense, stable ids however many values there are.
final class DimensionTableTests: XCTestCase {
    func test_intern_manyStrings_idsAreDenseStableAndFound() {
        var table = DimensionTable()
        let values =
            (0..<20_000).map { "staff-\($0)-\(String(repeating: "x", count: $0 % 40))" } + ["", "å", "🙂", "01"]
        for (i, v) in values.enumerated() { XCTAssertEqual(table.intern(v), UInt32(i + 1)) }
        for (i, v) in values.enumerated().reversed() {
            XCTAssertEqual(table.intern(v), UInt32(i + 1))
            XCTAssertEqual(table.stringID(v), UInt32(i + 1))
            XCTAssertEqual(table.string(UInt32(i + 1)), v)
        }
        XCTAssertEqual(table.intern(nil), 0)
        XCTAssertEqual(table.stringID(nil), 0)
        XCTAssertNil(table.stringID("never interned"))
        XCTAssertNil(table.string(0))
    }

    func test_intern_callers_andTheirOpenContexts() {
        var table = DimensionTable()
        var ids: [UInt32] = []
        for i in 0..<5000 {
            let c = Caller(
                customer: table.intern("c\(i % 50)"), region: table.intern(i % 3 == 0 ? nil : "0\(i % 3)"),
                user: table.intern("u\(i)"), category: i % 2 == 0 ? .region : .municipality, purpose: .care,
                contract: .normal)
            ids.append(table.intern(c))
            XCTAssertEqual(table.intern(c), ids.last)
        }
        XCTAssertEqual(ids, (0..<5000).map(UInt32.init))
        XCTAssertEqual(table.openContexts.count, 3 * 2 * 5, "region × category × method")
        let context = CellCode.context(caller: 7, slot: CellCode.slot(method: .personSearch, profile: .P2))
        XCTAssertEqual(table.customer(ofContext: context), table.callers[7].customer)
        XCTAssertEqual(CellCode.method(of: context), .personSearch)
        XCTAssertEqual(CellCode.profile(of: context), .P2)
        let open = table.openContexts[
            Int(table.openID(ofCell: CellCode.cell(context: context, variant: 5))) / LookupVariant.count]
        XCTAssertEqual(open.method, .personSearch)
        XCTAssertEqual(open.region, table.callers[7].region)
    }

    func test_cellCode_everyMethodAndProfileRoundTrips() {
        for method in LookupMethod.allCases {
            for profile in [nil, Profile.P1, .P2, .P3] {
                let context = CellCode.context(caller: 123_456, slot: CellCode.slot(method: method, profile: profile))
                XCTAssertEqual(CellCode.caller(of: context), 123_456)
                XCTAssertEqual(CellCode.method(of: context), method)
                XCTAssertEqual(CellCode.profile(of: context), profile)
                for v in LookupVariant.possibleIndexes {
                    let cell = CellCode.cell(context: context, variant: v)
                    XCTAssertEqual(CellCode.context(of: cell), context)
                    XCTAssertEqual(CellCode.variant(of: cell), v)
                }
            }
        }
        XCTAssertEqual(LookupVariant.possibleIndexes.count, 6 * 3 + 3)
    }
}
