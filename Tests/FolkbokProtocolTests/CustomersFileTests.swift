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
        let directory = try CustomersFile.parse(
            Array(#"{"customers":[{"id":"r","category":"region","region":"01"}]}"#.utf8))
        XCTAssertEqual(directory.customers, [Customer(id: "r", name: "r", category: .region, region: "01")])
    }

    /// `profiles` defaults to none, grants only what it lists, survives encoding (and is left
    /// out of the file when empty), and an unknown profile name is an error saying where.
    func test_parse_profiles() throws {
        let file =
            #"{"customers":[{"id":"r","category":"region","region":"01","profiles":["P4","P5"]},{"id":"s","category":"region","region":"02"}]}"#
        let directory = try CustomersFile.parse(Array(file.utf8))
        XCTAssertEqual(directory["r"]?.profiles, [.P4, .P5])
        XCTAssertEqual(directory["s"]?.profiles, [])
        XCTAssertEqual(directory["r"]?.allows(.P5), true)
        XCTAssertEqual(directory["s"]?.allows(.P4), false)
        XCTAssertEqual(directory["s"]?.allows(.P3), true)
        XCTAssertEqual(directory["s"]?.allows(nil), true)
        let encoded = String(decoding: try CustomersFile(customers: directory.customers).encoded(), as: UTF8.self)
        XCTAssertEqual(
            encoded.components(separatedBy: "\"profiles\"").count, 2, "only the customer with profiles writes the key")
        XCTAssertEqual(try CustomersFile.parse(Array(encoded.utf8)).customers, directory.customers)
        let bad = #"{"customers":[{"id":"r","category":"region","region":"01","profiles":["P9"]}]}"#
        XCTAssertThrowsError(try CustomersFile.parse(Array(bad.utf8))) { error in
            XCTAssertTrue("\(error)".hasSuffix(" at customers.0.profiles.0"), "\(error)")
        }
    }

    func test_parse_privateProviderWithExtendedContract_namesTheCustomer() {
        let file =
            #"{"customers":[{"id":"p","name":"P","category":"private","contracts":["extended"],"purposes":["care"]}]}"#
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
