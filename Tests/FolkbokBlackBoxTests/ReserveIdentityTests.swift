import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

final class ReserveIdentityTests: XCTestCase {
    func startServer(directory: String? = nil) throws -> (RunningServer, LineClient) {
        let server = try RunningServer(directory: directory, customers: administrationCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        XCTAssertTrue(try server.importPersons(op, Array(0..<5), tag: "Real", file: server.directory + "/p.ndjson"))
        return (server, try server.session())
    }

    /// NRIDs encode what is known, are valid, and a link makes person.get answer the person.
    func test_assignLinkFollowUnlink_withHistory() throws {
        let (server, admin) = try startServer()
        _ = server
        let known = try admin.result(
            "reserve.assign",
            "{\"person\":{\"name\":{\"given\":\"Okänd\",\"surname\":\"Patient\"},\"birthDate\":\"1979-08-14\",\"sex\":\"F\"}}"
        )
        let nrid = try XCTUnwrap(known.identityValue("reserve"))
        XCTAssertEqual(known["reserve"]?.objectValue?["issuer"], .string("national"))
        XCTAssertTrue(
            nrid.hasPrefix("2279") && nrid.dropFirst(4).hasPrefix("0814"), "birth date 1979-08-14 encoded as 2279 0814")
        XCTAssertEqual(Int(String(Array(nrid)[10]))! % 2, 0, "even gender digit for F")
        let anonymous = try admin.result("reserve.assign", "{}")
        let anon = try XCTUnwrap(anonymous.identityValue("reserve"))
        XCTAssertTrue(anon.hasPrefix("00"))
        XCTAssertFalse(Array(anon)[10].isNumber, "a letter for unknown sex")
        XCTAssertNotEqual(anon, nrid)

        // The new identity is readable by person.get and reserve.get.
        let own = try admin.result("person.get", "{\"id\":\"\(nrid)\"}")
        XCTAssertEqual(own["id"]?.objectValue?["kind"], .string("reserve"))
        XCTAssertEqual(own["name"]?.objectValue?["given"], .string("Okänd"))
        XCTAssertEqual(own["birthDate"], .string("1979-08-14"))

        let person = testNumber(1)
        let linked = try admin.result("reserve.link", "{\"reserve\":\"\(nrid)\",\"to\":\"\(person)\"}")
        XCTAssertNotNil(linked["version"]?.uint64Value)
        // Followed: the person's record, which lists the reserve identity.
        let followed = try admin.result("person.get", "{\"id\":\"\(nrid)\"}")
        XCTAssertEqual(followed.identityValue("id"), person)
        XCTAssertEqual(
            followed["reserveLinks"]?.arrayValue?.compactMap { $0.objectValue?["value"]?.stringValue }, [nrid])
        let notFollowed = try admin.result("person.get", "{\"id\":\"\(nrid)\",\"followLinks\":false}")
        XCTAssertEqual(notFollowed.identityValue("id"), nrid)
        let many = try admin.result("person.getMany", "{\"ids\":[\"\(nrid)\",\"\(person)\"]}")
        let values = many["results"]?.arrayValue?.compactMap {
            $0.objectValue?["record"]?.objectValue?.identityValue("id")
        }
        XCTAssertEqual(values, [person, person])

        // Same link again is harmless; another person is a conflict.
        XCTAssertNotNil(try admin.result("reserve.link", "{\"reserve\":\"\(nrid)\",\"to\":\"\(person)\"}")["version"])
        XCTAssertEqual(
            try admin.errorCode("reserve.link", "{\"reserve\":\"\(nrid)\",\"to\":\"\(testNumber(2))\"}"), 4009)

        let got = try admin.result("reserve.get", "{\"reserve\":\"\(nrid)\"}")
        XCTAssertEqual(got.identityValue("linkedTo"), person)
        XCTAssertEqual(got["linkHistory"]?.arrayValue?.count, 1)

        XCTAssertNotNil(try admin.result("reserve.unlink", "{\"reserve\":\"\(nrid)\"}")["version"])
        XCTAssertEqual(try admin.errorCode("reserve.unlink", "{\"reserve\":\"\(nrid)\"}"), 4009)
        XCTAssertEqual(try admin.result("person.get", "{\"id\":\"\(nrid)\"}").identityValue("id"), nrid)
        XCTAssertEqual(try admin.result("person.get", "{\"id\":\"\(person)\"}")["reserveLinks"]?.arrayValue?.count, 0)
        XCTAssertNotNil(
            try admin.result("reserve.link", "{\"reserve\":\"\(nrid)\",\"to\":\"\(testNumber(2))\"}")["version"])
        let history =
            try admin.result("reserve.get", "{\"reserve\":\"\(nrid)\"}")["linkHistory"]?.arrayValue?.compactMap(
                \.objectValue) ?? []
        XCTAssertEqual(history.map { $0.identityValue("to") }, [person, testNumber(2)])
        XCTAssertNotEqual(history[0]["unlinkedAt"], .null)
        XCTAssertEqual(history[1]["unlinkedAt"], .null)

        // The access log names the identity asked and the one answered.
        let op = try server.session("operator", purpose: nil, contract: nil)
        let entries =
            try op.result("audit.query", "{\"person\":\"\(nrid)\"}")["entries"]?.arrayValue?.compactMap(\.objectValue)
            ?? []
        XCTAssertTrue(entries.contains { $0.identityValue("person") == nrid && $0.identityValue("resolved") == person })
    }

    /// Local reserve identities: unique within the region, never a personal number's form.
    func test_registerUpdateGet_localReserve() throws {
        let (server, admin) = try startServer()
        _ = server
        let registered = try admin.result(
            "reserve.register", "{\"value\":\"AKUT-0001\",\"person\":{\"name\":{\"surname\":\"Okänd\"},\"sex\":\"M\"}}")
        XCTAssertEqual(registered["reserve"]?.objectValue?["issuer"], .string("01"))
        XCTAssertEqual(registered.identityValue("reserve"), "AKUT-0001")
        XCTAssertEqual(try admin.errorCode("reserve.register", "{\"value\":\"AKUT-0001\"}"), 4009)
        XCTAssertEqual(try admin.errorCode("reserve.register", "{\"value\":\"\(testNumber(3))\"}"), 4022)
        XCTAssertEqual(try admin.errorCode("reserve.register", "{\"value\":\"has space\"}"), 4022)
        XCTAssertEqual(
            try admin.errorCode("reserve.register", "{\"value\":\"X1\",\"person\":{\"shoeSize\":42}}"), -32602)
        let local = "{\"kind\":\"reserve\",\"value\":\"AKUT-0001\",\"issuer\":\"01\"}"
        XCTAssertNotNil(
            try admin.result(
                "reserve.update",
                "{\"reserve\":\(local),\"person\":{\"name\":{\"given\":\"Kalle\",\"surname\":\"Anka\"},\"sex\":\"M\"}}")[
                    "version"])
        let got = try admin.result("reserve.get", "{\"reserve\":\(local)}")
        XCTAssertEqual(got["name"]?.objectValue?["given"], .string("Kalle"))
        XCTAssertEqual(got["id"]?.objectValue?["issuer"], .string("01"))
        XCTAssertEqual(got["linkedTo"], .null)
        XCTAssertEqual(
            try admin.errorCode(
                "reserve.get", "{\"reserve\":{\"kind\":\"reserve\",\"value\":\"AKUT-0001\",\"issuer\":\"03\"}}"), 4004)
        XCTAssertEqual(try admin.errorCode("reserve.get", "{\"reserve\":\"\(testNumber(1))\"}"), 4022)
        XCTAssertNotNil(
            try admin.result("reserve.link", "{\"reserve\":\(local),\"to\":\"\(testNumber(4))\"}")["version"])
        XCTAssertEqual(try admin.result("person.get", "{\"id\":\(local)}").identityValue("id"), testNumber(4))
    }

    /// Who may use reserve methods: admin customers with a care purpose only.
    func test_permissions() throws {
        let (server, admin) = try startServer()
        _ = admin
        XCTAssertEqual(try server.client().errorCode("reserve.assign", "{}"), 4001)
        XCTAssertEqual(try server.session("SE2321000032-0003").errorCode("reserve.assign", "{}"), 4003)
        XCTAssertEqual(
            try server.session("SE2321000016-0001", purpose: "administration").errorCode("reserve.assign", "{}"), 4003)
        XCTAssertEqual(
            try server.session("operator", purpose: nil, contract: nil).errorCode("reserve.assign", "{}"), 4003)
        XCTAssertEqual(
            try server.client().errorCode("reserve.assign", "{\"bogus\":1}"), -32602, "param shape before session")
        XCTAssertEqual(
            try server.client().errorCode("reserve.assign", "{\"person\":{\"birthDate\":\"19x9\"}}"), -32602,
            "a malformed person is -32602 before 4001")
        XCTAssertEqual(
            try server.session("SE2321000032-0003").errorCode(
                "reserve.register", "{\"value\":\"X1\",\"person\":{\"sex\":\"Q\"}}"), -32602,
            "-32602 before 4003")
    }

    /// Reserve identities, links and history survive SIGTERM and kill -9; no NRID is issued twice.
    func test_survivesRestarts_andNeverReissues() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var issued: Set<String> = []
        var (server, admin) = try startServer(directory: directory)
        for _ in 0..<5 {
            issued.insert(
                try XCTUnwrap(
                    admin.result("reserve.assign", "{\"person\":{\"birthDate\":\"1990-01-01\",\"sex\":\"M\"}}")
                        .identityValue("reserve")))
        }
        let first = issued.sorted()[0]
        _ = try admin.result("reserve.link", "{\"reserve\":\"\(first)\",\"to\":\"\(testNumber(0))\"}")
        _ = try admin.result("reserve.register", "{\"value\":\"L-1\"}")
        XCTAssertEqual(server.stop(), 0)
        (server, admin) = try RunningServer(directory: directory, customers: administrationCustomers()).withSession()
        for _ in 0..<5 {
            issued.insert(
                try XCTUnwrap(
                    admin.result("reserve.assign", "{\"person\":{\"birthDate\":\"1990-01-01\",\"sex\":\"M\"}}")
                        .identityValue("reserve")))
        }
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        (server, admin) = try RunningServer(directory: directory, customers: administrationCustomers()).withSession()
        for _ in 0..<5 {
            issued.insert(
                try XCTUnwrap(
                    admin.result("reserve.assign", "{\"person\":{\"birthDate\":\"1990-01-01\",\"sex\":\"M\"}}")
                        .identityValue("reserve")))
        }
        XCTAssertEqual(issued.count, 15, "every NRID distinct across restarts")
        XCTAssertEqual(try admin.result("person.get", "{\"id\":\"\(first)\"}").identityValue("id"), testNumber(0))
        XCTAssertEqual(
            try admin.result("reserve.get", "{\"reserve\":\"\(first)\"}")["linkHistory"]?.arrayValue?.count, 1)
        XCTAssertEqual(try admin.errorCode("reserve.register", "{\"value\":\"L-1\"}"), 4009)
        // A snapshot keeps them too (the reserves section).
        let op = try server.session("operator", purpose: nil, contract: nil)
        _ = try op.result("admin.snapshot", "{}")
        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        (server, admin) = try RunningServer(directory: directory, customers: administrationCustomers()).withSession()
        XCTAssertEqual(
            try admin.result("person.get", "{\"id\":{\"kind\":\"reserve\",\"value\":\"L-1\",\"issuer\":\"01\"}}")
                .identityValue("id"), "L-1")
        XCTAssertEqual(try admin.result("person.get", "{\"id\":\"\(first)\"}").identityValue("id"), testNumber(0))
    }

    /// A full import of the region keeps reserve identities and the persons' links.
    func test_fullImport_keepsReserveDataAndLinks() throws {
        let (server, admin) = try startServer()
        let nrid = try XCTUnwrap(admin.result("reserve.assign", "{}").identityValue("reserve"))
        _ = try admin.result("reserve.link", "{\"reserve\":\"\(nrid)\",\"to\":\"\(testNumber(1))\"}")
        let op = try server.session("operator", purpose: nil, contract: nil)
        let file = server.directory + "/full.ndjson"
        try ([1, 2].map { importLine($0, tag: "Again") }.joined(separator: "\n") + "\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        let report = try op.result("admin.import", "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"full\"}")
        XCTAssertEqual(report["removed"]?.int64Value, 3)
        let person = try admin.result("person.get", "{\"id\":\"\(nrid)\"}")
        XCTAssertEqual(person.identityValue("id"), testNumber(1))
        XCTAssertEqual(person["name"]?.objectValue?["given"], .string("Again"))
        XCTAssertEqual(person["reserveLinks"]?.arrayValue?.count, 1)
    }
}

extension RunningServer {
    /// The server with an admin session open.
    func withSession() throws -> (RunningServer, LineClient) { (self, try session()) }
}
