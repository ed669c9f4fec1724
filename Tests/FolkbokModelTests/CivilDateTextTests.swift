import FolkbokModel
import XCTest

/// `CivilDate.iso` (written digit by digit) against a model built with `String(format:)`-style
/// padding, over every day of several years and the edges of the four-digit range.
final class CivilDateTextTests: XCTestCase {
    private func model(_ d: CivilDate) -> String {
        func pad(_ v: Int, _ n: Int) -> String {
            String(repeating: "0", count: max(0, n - String(v).count)) + String(v)
        }
        return "\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))"
    }

    func testIsoMatchesThePaddedModelOnEveryDay() throws {
        for year in [1, 9, 99, 999, 1900, 1999, 2000, 2024, 9999] {
            for month in 1...12 {
                for day in 1...CivilDate.daysIn(month: month, year: year) {
                    let date = try XCTUnwrap(CivilDate(year: year, month: month, day: day))
                    XCTAssertEqual(date.iso, model(date))
                }
            }
        }
        XCTAssertEqual(CivilDate(year: 2024, month: 2, day: 29)?.iso, "2024-02-29")
    }
}
