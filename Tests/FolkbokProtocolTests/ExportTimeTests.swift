import FolkbokJSON
import FolkbokStats
import XCTest

@testable import FolkbokProtocol

/// The export's timestamp writer agrees with the formatter it replaces on the hot path.
final class ExportTimeTests: XCTestCase {
    func testDigitWriter_matchesTheFormatter() {
        for micros: Int64 in [
            0, 1, 999_999, 1_763_900_000_123_456, 1_763_942_399_999_999, -1, -86_400_000_000, 253_402_300_799_999_999,
        ] {
            var w = JSONWriter()
            ExportTime.write(micros, into: &w)
            XCTAssertEqual(
                String(decoding: w.bytes, as: UTF8.self), "\"" + ExportTime.format(micros) + "\"", "\(micros)")
        }
    }
}
