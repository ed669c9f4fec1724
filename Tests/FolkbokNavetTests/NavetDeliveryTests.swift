import FolkbokNavet
import XCTest

final class NavetDeliveryTests: XCTestCase {
    func header(_ id: String? = "A", count: Int? = 3, number: Int?) -> NavetFileHeader {
        NavetFileHeader(orderId: id, fileCount: count, fileNumber: number)
    }

    func test_filesOfOneDelivery_areOrderedByFilNr() throws {
        XCTAssertEqual(try NavetDelivery.order([header(number: 3), header(number: 1), header(number: 2)]), [1, 2, 0])
        XCTAssertEqual(try NavetDelivery.order([NavetFileHeader()]), [0])
        XCTAssertEqual(try NavetDelivery.order([header(count: 1, number: 1)]), [0])
    }

    func test_incompleteDeliveries_areRefused() {
        func refused(_ headers: [NavetFileHeader], file: StaticString = #filePath, line: UInt = #line) {
            do {
                _ = try NavetDelivery.order(headers)
                XCTFail("accepted", file: file, line: line)
            } catch {
                XCTAssertEqual(error.reason, "incomplete_delivery", file: file, line: line)
            }
        }
        refused([])
        refused([header(number: 1)])
        refused([header(number: 1), header(number: 2)])
        refused([header(number: 1), header(number: 2), header(number: 2)])
        refused([header(number: 1), header(number: 2), header("B", number: 3)])
        refused([header(number: 1), header(number: 2), header(count: 4, number: 3)])
        refused([header(number: 1), header(number: 2), header(number: 4)])
        refused([header(number: 1), header(number: 2), header(number: nil)])
        refused([header(nil, number: 1), header(nil, number: 2), header(nil, number: 3)])
        refused([NavetFileHeader(), NavetFileHeader()])
    }
}
