import FolkbokDemo
import FolkbokModel
import FolkbokProtocol
import XCTest

final class CustomersFileTests: XCTestCase {
    func test_parse_demoFile_givesTheDemoCustomers() throws {
        let demo = DemoCustomers.make(uid: 1234)
        let directory = try CustomersFile.parse(try CustomersFile(customers: demo).encoded())
        XCTAssertEqual(directory.customers, demo)
        XCTAssertEqual(directory["operator"]?.category, .operator)
    }

    func test_parse_defaultsMissingOptionalFields() throws {
        let directory = try CustomersFile.parse(Array(#"{"customers":[{"id":"r","category":"region","region":"01"}]}"#.utf8))
        XCTAssertEqual(directory.customers, [Customer(id: "r", name: "r", category: .region, region: "01")])
    }

    func test_parse_privateProviderWithExtendedContract_namesTheCustomer() {
        let file = #"{"customers":[{"id":"p","name":"P","category":"private","contracts":["extended"],"purposes":["care"]}]}"#
        XCTAssertThrowsError(try CustomersFile.parse(Array(file.utf8))) { error in
            XCTAssertEqual("\(error)", #"customer "p": a private provider cannot have an extended contract"#)
        }
    }

    func test_parse_wrongType_saysWhere() {
        let file = #"{"customers":[{"id":"r","category":"region","region":"01"},{"id":"x","category":"kingdom"}]}"#
        XCTAssertThrowsError(try CustomersFile.parse(Array(file.utf8))) { error in
            XCTAssertTrue("\(error)".hasSuffix(" at customers.1.category"), "\(error)")
        }
    }

    func test_parse_notJSON_isAnErrorNotATrap() {
        for bytes: [UInt8] in [[], Array("{".utf8), [0xff, 0xfe], Array(#"{"customers":{}}"#.utf8), Array("[]".utf8)] {
            XCTAssertThrowsError(try CustomersFile.parse(bytes)) { error in
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }
}
