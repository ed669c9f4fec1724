import FolkbokJSON
import FolkbokModel
import XCTest

@testable import FolkbokProtocol

final class DisclosureTests: XCTestCase {
    static let fullKeys = [
        "id", "name", "birthDate", "sex", "address", "specialAddress", "foreignAddress", "county",
        "municipality", "protection", "test", "status", "region", "contact", "reserveLinks", "version",
    ]

    /// Expected keys of a record by the protocol's disclosure table, independent of the encoder.
    static func expectedKeys(protection: Protection, contract: Contract, purpose: Purpose, profile: Profile?)
        -> [String]
    {
        switch (protection, contract) {
        case (.skyddad, _): return ["id", "name", "protection", "limited"]
        case (.sekretess, .normal): return ["id", "name", "county", "sex", "protection", "limited"]
        default: break
        }
        var keys = fullKeys
        let p1: Set = [
            "id", "name", "sex", "birthDate", "county", "protection", "status", "test", "version", "reserveLinks",
        ]
        let p2 = p1.union(["address", "specialAddress", "foreignAddress", "municipality", "region"])
        let p4 = ["civilStatus", "citizenships", "birthPlace", "immigrationDate", "relations", "referredTo"]
        switch profile {
        case .P1?: keys = keys.filter { p1.contains($0) }
        case .P2?: keys = keys.filter { p2.contains($0) }
        case .P4?: keys.insert(contentsOf: p4, at: keys.firstIndex(of: "reserveLinks")!)
        case .P5?: keys.insert(contentsOf: p4 + ["history"], at: keys.firstIndex(of: "reserveLinks")!)
        default: break
        }
        if !purpose.allowsContactDetails { keys.removeAll { $0 == "contact" } }
        return keys
    }

    /// Every protection × contract × purpose × category × profile the customers allow, through session.open and person.get.
    func test_disclosureRule_tableOverEveryCombination() async {
        let h = await ServiceHarness()
        let sessions: [(customer: String, purposes: [Purpose], contracts: [Contract])] = [
            ("region-ext", [.care, .administration], [.normal, .extended]),
            ("muni", [.municipal, .hr], [.normal]),
            ("private", [.care], [.normal]),
        ]
        var checked = 0
        for s in sessions {
            for purpose in s.purposes {
                for contract in s.contracts {
                    let opened = await h.open(s.customer, purpose: purpose.rawValue, contract: contract.rawValue)
                    XCTAssertNotNil(opened?["result"], "\(s.customer) \(purpose) \(contract)")
                    for (number, protection) in [
                        (ServiceHarness.plain, Protection.none), (ServiceHarness.sekretess, .sekretess),
                        (ServiceHarness.skyddad, .skyddad),
                    ] {
                        for profile in [nil, Profile.P1, .P2, .P3, .P4, .P5] {
                            let profileParam = profile.map { ",\"profile\":\"\($0.rawValue)\"" } ?? ""
                            let answer = await h.json(
                                "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(number)\"\(profileParam)}}")
                            if profile?.needsGrant == true && s.customer != "region-ext" {
                                XCTAssertEqual(
                                    answer?.errorCode, 4003,
                                    "\(s.customer) \(String(describing: profile)) needs the grant")
                                checked += 1
                                continue
                            }
                            let record = answer?["result"]?.objectValue
                            let expected = Self.expectedKeys(
                                protection: protection, contract: contract, purpose: purpose, profile: profile)
                            XCTAssertEqual(
                                record?.keys, expected,
                                "\(s.customer) \(purpose) \(contract) \(protection) \(String(describing: profile))")
                            if protection != .none && !(protection == .sekretess && contract == .extended) {
                                XCTAssertEqual(record?["limited"], .bool(true))
                                XCTAssertEqual(record?["name"]?.objectValue?.keys, ["given", "surname"])
                            }
                            checked += 1
                        }
                    }
                }
            }
        }
        XCTAssertEqual(checked, (4 + 2 + 1) * 3 * 6)
    }

    func test_sessionOpen_refusals() async {
        let h = await ServiceHarness()
        let cases: [(String, String?, String?, Int64)] = [
            ("nobody", "care", "normal", 4003),
            ("no-dpa", "care", "normal", 4003),
            ("other-uid", "care", "normal", 4003),
            ("private", "care", "extended", 4003),
            ("muni", "care", "normal", 4003),
            ("region-ext", "dental", "normal", 4003),
            ("operator", "care", "normal", 4003),
            ("region-ext", "astrology", "normal", -32602),
            ("region-ext", "care", "supreme", -32602),
            ("region-ext", nil, "normal", -32602),
        ]
        for (customer, purpose, contract, code) in cases {
            let answer = await h.open(customer, purpose: purpose, contract: contract)
            XCTAssertEqual(answer?.errorCode, code, "\(customer) \(purpose ?? "-") \(contract ?? "-")")
        }
    }

    func test_operatorSession_hasNullPurposeAndContract_andCannotReadPersons() async {
        let h = await ServiceHarness()
        let opened = await h.open("operator", purpose: nil, contract: nil)
        XCTAssertEqual(opened?["result"]?["category"], .string("operator"))
        XCTAssertEqual(opened?["result"]?["purpose"], .null)
        XCTAssertEqual(opened?["result"]?["contract"], .null)
        let answer = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121212"}}"#)
        XCTAssertEqual(answer?.errorCode, 4003)
    }

    func test_fhirView_isPatientWithPersonnummerSystem() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        let answer = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121212","view":"fhir"}}"#)
        let patient = answer?["result"]
        XCTAssertEqual(patient?["resourceType"], .string("Patient"))
        XCTAssertEqual(patient?["identifier"]?.arrayValue?.first?["system"], .string("urn:oid:1.2.752.129.2.1.3.1"))
        XCTAssertEqual(patient?["gender"], .string("male"))
        XCTAssertEqual(patient?["birthDate"], .string("1912-12-12"))
    }
}
