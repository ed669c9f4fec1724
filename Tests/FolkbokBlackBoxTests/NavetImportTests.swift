import FolkbokJSON
import FolkbokModel
import FolkbokNavet
import FolkbokServer
import Foundation
import XCTest

/// `admin.import` of Navet deliveries through the binary (docs/PROTOCOL.md "Navet notification
/// files": Import, All or nothing, Mapping).
final class NavetImportTests: XCTestCase {
    func test_twoFileDelivery_isImportedInFileNumberOrder_withTheMappedFields() throws {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let anna = navetNumber("19800101", "123"), per = navetNumber("19750505", "234"),
            dead = navetNumber("19300303", "345")
        let gone = navetNumber("19600606", "456"), hidden = navetNumber("19900909", "567")

        var annaPost = wholePost(anna, given: "Anna Karin", surname: "Lind", marking: "12")
        annaPost.addresses = .init(
            registered: .init(
                careOf: "Berg", line1: "Box 7", line2: "Storgatan 1", postalCode: "111 22", city: "STOCKHOLM"),
            special: .init(line1: "Lillgatan 3", postalCode: "22233", city: "LUND"),
            foreign: .init(line1: "1 Rue X", line2: "Paris", country: "FR"))
        var perPost = wholePost(per, given: "Per Olof", surname: "Ek", marking: "21")
        perPost.secrecyMarking = "J"
        var deadPost = wholePost(dead, given: "Gustav", surname: "Holm", marking: "15")
        deadPost.deregistration = .init(code: "AV", date: "20200115")
        var gonePost = wholePost(gone, given: "Eva", surname: "Sand")
        gonePost.deregistration = .init(code: "UV", date: "20190300")
        var hiddenPost = wholePost(hidden, given: "Lo", surname: "Strand")
        hiddenPost.secrecyMarking = "J"
        hiddenPost.protectedRegistration = "J"
        var badPost = wholePost(navetNumber("19850101", "111"), given: "X", surname: "Y")
        let right = navetNumber("19850101", "111")
        // a wrong check digit
        badPost.personNumber = String(right.dropLast()) + String((Int(String(right.last!))! + 1) % 10)
        // A change to Anna in file 2: applied after file 1's whole record, though given first.
        var annaMoves = NavetPost(index: 0)
        annaMoves.personNumber = anna
        annaMoves.totalpost = "N"
        annaMoves.registration = .init(county: "12", municipality: "80")

        let first = try writeDelivery(
            server.directory + "/d-1.xml", order: "B1", file: 1, of: 2, [annaPost, perPost, deadPost])
        let second = try writeDelivery(
            server.directory + "/d-2.xml", order: "B1", file: 2, of: 2, [gonePost, badPost, annaMoves, hiddenPost])
        let report = try XCTUnwrap(
            op.call("admin.import", params: "{\"paths\":[\"\(second)\",\"\(first)\"],\"region\":\"01\"}").result)
        XCTAssertEqual(report["format"], .string("navet"))
        XCTAssertEqual(report["files"]?.int64Value, 2)
        XCTAssertEqual(report["inserted"]?.int64Value, 5)
        XCTAssertEqual(report["updated"]?.int64Value, 1)
        XCTAssertEqual(report["rejected"]?.int64Value, 1)
        let errors = report["errors"]?.arrayValue ?? []
        XCTAssertEqual(
            errors.compactMap { $0.objectValue?["post"]?.int64Value }, [5], "file 1's three posts come first")
        XCTAssertTrue(errors.first?.objectValue?["reason"]?.stringValue?.contains("PersonNr") ?? false)
        XCTAssertFalse(errors.first?.objectValue?["reason"]?.stringValue?.contains("19850101") ?? true)

        let reader = try server.session("SE2321000016-0001", purpose: "care", contract: "extended")
        let a = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(anna)\"}").result)
        XCTAssertEqual(a["name"]?.objectValue?["callName"], .string("Anna-Karin"))
        XCTAssertEqual(a["municipality"], .string("1280"), "the change of file 2 applied after file 1")
        XCTAssertEqual(a["county"], .string("12"))
        XCTAssertEqual(a["region"], .string("01"))
        XCTAssertEqual(a["protection"], .string("none"))
        let address = a["address"]?.objectValue
        XCTAssertEqual(address?["street"], .string("Storgatan 1"))
        XCTAssertEqual(address?["postalCode"], .string("11122"))
        XCTAssertEqual(address?["careOf"], .string("Berg"))
        XCTAssertEqual(a["specialAddress"]?.objectValue?["street"], .string("Lillgatan 3"))
        XCTAssertEqual(a["foreignAddress"]?.objectValue?["lines"], .array([.string("1 Rue X"), .string("Paris")]))
        XCTAssertEqual(a["foreignAddress"]?.objectValue?["country"], .string("FR"))
        XCTAssertEqual(a["birthDate"], .string("1980-01-01"))

        let p = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(per)\"}").result)
        XCTAssertEqual(p["name"]?.objectValue?["callName"], .string("Olof-Per"))
        XCTAssertEqual(p["protection"], .string("sekretess"))
        let d = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(dead)\"}").result)
        XCTAssertEqual(d["status"]?.objectValue?["state"], .string("deceased"))
        XCTAssertEqual(d["status"]?.objectValue?["date"], .string("2020-01-15"))
        XCTAssertEqual(d["status"]?.objectValue?["reason"], .null)
        XCTAssertEqual(d["name"]?.objectValue?["callName"], .null, "marking 15 points past the names")
        let g = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(gone)\"}").result)
        XCTAssertEqual(g["status"]?.objectValue?["state"], .string("deregistered"))
        XCTAssertEqual(g["status"]?.objectValue?["reason"], .string("UV"))
        let h = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(hidden)\"}").result)
        XCTAssertEqual(h["protection"], .string("skyddad"), "skyddad wins over sekretess")
    }

    func test_latin1Delivery_keepsSwedishLetters_andFormatIsDetected() throws {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let id = navetNumber("19700707", "678")
        var post = wholePost(id, given: "Märta Åsa", surname: "Öström", marking: "20")
        post.addresses = .init(registered: .init(line1: "Ängsvägen 4", postalCode: "90333", city: "UMEÅ"))
        let path = server.directory + "/latin1.xml"
        try Data(NavetWriter(encoding: .latin1).document(header: nil, posts: [post])).write(
            to: URL(fileURLWithPath: path))
        XCTAssertFalse(
            try Data(contentsOf: URL(fileURLWithPath: path)).contains(0xC3), "no UTF-8 sequences in the file")
        let report = try XCTUnwrap(op.call("admin.import", params: "{\"path\":\"\(path)\",\"region\":\"24\"}").result)
        XCTAssertEqual(report["format"], .string("navet"))
        XCTAssertEqual(report["inserted"]?.int64Value, 1)
        let person = try XCTUnwrap(server.session().call("person.get", params: "{\"id\":\"\(id)\"}").result)
        XCTAssertEqual(person["name"]?.objectValue?["surname"], .string("Öström"))
        XCTAssertEqual(person["name"]?.objectValue?["given"], .string("Märta Åsa"))
        XCTAssertEqual(person["name"]?.objectValue?["callName"], .string("Åsa"))
        XCTAssertEqual(person["address"]?.objectValue?["street"], .string("Ängsvägen 4"))
        XCTAssertEqual(person["address"]?.objectValue?["city"], .string("UMEÅ"))

        // An encoding other than UTF-8 or ISO-8859-1 is refused.
        let utf16 = server.directory + "/utf16.xml"
        try "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Navetavisering/>\n".write(
            toFile: utf16, atomically: true, encoding: .utf8)
        let refused = try op.call("admin.import", params: "{\"path\":\"\(utf16)\",\"region\":\"24\"}")
        XCTAssertEqual(refused.errorCode, -32602)
        // An NDJSON import names its format and files too.
        let ndjson = server.directory + "/one.ndjson"
        let line = try runFolkbok(["generate", "3", "--seed", "4"]).out
        try line.write(toFile: ndjson, atomically: true, encoding: .utf8)
        let plain = try XCTUnwrap(
            op.call("admin.import", params: "{\"paths\":[\"\(ndjson)\"],\"region\":\"24\"}").result)
        XCTAssertEqual(plain["format"], .string("ndjson"))
        XCTAssertEqual(plain["files"]?.int64Value, 1)
        XCTAssertEqual(plain["inserted"]?.int64Value, 3)
        let forced = try op.call(
            "admin.import", params: "{\"path\":\"\(ndjson)\",\"region\":\"24\",\"format\":\"navet\"}")
        XCTAssertEqual(forced.errorCode, -32602, "NDJSON read as Navet is a malformed file")
        XCTAssertEqual(forced["error"]?.objectValue?["data"]?.objectValue?["reason"], .string("malformed_file"))
    }

    func test_malformedTruncatedMiscountedAndIncomplete_changeNothing() throws {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let posts = (0..<20).map { i in
            wholePost(navetNumber("19800202", String(format: "%03d", 100 + i)), given: "Kim", surname: "Berg")
        }
        let good = try writeDelivery(server.directory + "/good-1.xml", order: "B7", file: 1, of: 2, posts)
        let goodText = try String(contentsOfFile: good, encoding: .utf8)
        let before = try XCTUnwrap(op.call("admin.info").result)

        func refusal(
            _ params: String, _ reason: String, file: String? = nil, line: ClosedRange<Int64>? = nil,
            _ what: String
        ) throws {
            let answer = try op.call("admin.import", params: params)
            XCTAssertEqual(answer.errorCode, -32602, what)
            let data = answer["error"]?.objectValue?["data"]?.objectValue
            XCTAssertEqual(data?["reason"], .string(reason), what)
            if let line {
                XCTAssertTrue(
                    line.contains(data?["line"]?.int64Value ?? -1), "\(what): line \(String(describing: data?["line"]))"
                )
            }
            if let file { XCTAssertEqual(data?["file"], .string(file), what) }
            XCTAssertFalse("\(answer)".contains("19800202"), "\(what): no value from the file")
            let info = try XCTUnwrap(op.call("admin.info").result)
            XCTAssertEqual(info["lsn"], before["lsn"], what)
            XCTAssertEqual(info["persons"], before["persons"], what)
        }

        // A tag broken in the last post: everything before it is well-formed, still nothing changes.
        var lines = goodText.components(separatedBy: "\n")
        let lastSurname = try XCTUnwrap(lines.lastIndex { $0.contains("<Efternamn>") })
        lines[lastSurname] = lines[lastSurname].replacingOccurrences(of: "</Efternamn>", with: "</Efternamm>")
        let second = try writeDelivery(
            server.directory + "/good-2.xml", order: "B7", file: 2, of: 2,
            [wholePost(navetNumber("19800303", "100"), given: "A", surname: "B")])
        let malformed = server.directory + "/malformed-1.xml"
        try lines.joined(separator: "\n").write(toFile: malformed, atomically: true, encoding: .utf8)
        let line = Int64(lastSurname + 1)
        try refusal(
            "{\"paths\":[\"\(malformed)\",\"\(second)\"],\"region\":\"01\"}", "malformed_file", file: malformed,
            line: line...line, "malformed")

        let truncated = server.directory + "/truncated-1.xml"
        try String(goodText.prefix(goodText.count * 2 / 3)).write(toFile: truncated, atomically: true, encoding: .utf8)
        try refusal(
            "{\"paths\":[\"\(second)\",\"\(truncated)\"],\"region\":\"01\"}", "malformed_file", file: truncated,
            line: 1...Int64(lines.count), "truncated")

        let miscounted = server.directory + "/miscounted-1.xml"
        try goodText.replacingOccurrences(of: "<AntalPoster>20</AntalPoster>", with: "<AntalPoster>21</AntalPoster>")
            .write(toFile: miscounted, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try String(contentsOfFile: miscounted, encoding: .utf8), goodText)
        try refusal(
            "{\"paths\":[\"\(miscounted)\",\"\(second)\"],\"region\":\"01\"}", "malformed_file", file: miscounted,
            line: 1...20, "miscounted")

        try refusal("{\"paths\":[\"\(good)\"],\"region\":\"01\"}", "incomplete_delivery", "FilNr 2 missing")
        let other = try writeDelivery(server.directory + "/other-2.xml", order: "B8", file: 2, of: 2, [])
        try refusal(
            "{\"paths\":[\"\(good)\",\"\(other)\"],\"region\":\"01\"}", "incomplete_delivery", "another BestallningsId")
        try refusal("{\"paths\":[\"\(good)\",\"\(good)\"],\"region\":\"01\"}", "incomplete_delivery", "FilNr 1 twice")

        // The same files whole are imported.
        let ok = try XCTUnwrap(
            op.call("admin.import", params: "{\"paths\":[\"\(good)\",\"\(second)\"],\"region\":\"01\"}").result)
        XCTAssertEqual(ok["inserted"]?.int64Value, 21)
    }

    func test_changePost_replacesOnlyItsParts_andUnknownPersonIsRejected() throws {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let id = navetNumber("19650404", "321"), other = navetNumber("19660505", "432"),
            stranger = navetNumber("19670606", "543")
        var whole = wholePost(id, given: "Sara Li", surname: "Nord", marking: "10")
        whole.secrecyMarking = "J"
        let first = server.directory + "/whole.xml"
        try Data(NavetWriter().document(header: nil, posts: [whole, wholePost(other, given: "Ola", surname: "Vik")]))
            .write(to: URL(fileURLWithPath: first))
        XCTAssertEqual(
            try op.call("admin.import", params: "{\"path\":\"\(first)\",\"region\":\"01\"}").result?["inserted"]?
                .int64Value, 2)

        var move = NavetPost(index: 0)
        move.personNumber = id
        move.totalpost = "N"
        move.addresses = .init(registered: .init(line1: "Nygatan 9", postalCode: "41101", city: "GÖTEBORG"))
        var unknown = NavetPost(index: 0)
        unknown.personNumber = stranger
        unknown.totalpost = "N"
        unknown.addresses = move.addresses
        let change = server.directory + "/change.xml"
        try Data(NavetWriter().document(header: nil, posts: [unknown, move])).write(to: URL(fileURLWithPath: change))
        let report = try XCTUnwrap(
            op.call("admin.import", params: "{\"path\":\"\(change)\",\"region\":\"01\",\"format\":\"navet\"}").result)
        XCTAssertEqual(report["updated"]?.int64Value, 1)
        XCTAssertEqual(report["inserted"]?.int64Value, 0)
        XCTAssertEqual(report["rejected"]?.int64Value, 1)
        let error = report["errors"]?.arrayValue?.first?.objectValue
        XCTAssertEqual(error?["post"]?.int64Value, 1)
        XCTAssertEqual(error?["reason"], .string("unknown_person"))

        let reader = try server.session("SE2321000016-0001", purpose: "care", contract: "extended")
        let person = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(id)\"}").result)
        XCTAssertEqual(person["address"]?.objectValue?["street"], .string("Nygatan 9"))
        XCTAssertEqual(person["address"]?.objectValue?["city"], .string("GÖTEBORG"))
        XCTAssertEqual(person["name"]?.objectValue?["surname"], .string("Nord"), "the name the change left out stays")
        XCTAssertEqual(person["name"]?.objectValue?["callName"], .string("Sara"))
        XCTAssertEqual(person["protection"], .string("sekretess"), "no protection marking in the change: it stays")
        XCTAssertEqual(person["municipality"], .string("0180"))
        XCTAssertEqual(try reader.call("person.get", params: "{\"id\":\"\(stranger)\"}").errorCode, 4004)

        // `full`: a delivery of one person removes the region's other one.
        let only = server.directory + "/only.xml"
        try Data(NavetWriter().document(header: nil, posts: [whole])).write(to: URL(fileURLWithPath: only))
        let full = try XCTUnwrap(
            op.call("admin.import", params: "{\"path\":\"\(only)\",\"region\":\"01\",\"mode\":\"full\"}").result)
        XCTAssertEqual(full["removed"]?.int64Value, 1)
        XCTAssertEqual(try reader.call("person.get", params: "{\"id\":\"\(other)\"}").errorCode, 4004)
        let back = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(id)\"}").result)
        XCTAssertEqual(
            back["address"]?.objectValue?["street"], .string("Storgatan 1"), "a whole record replaces every part")
    }

    func test_badPathsAndFormats_areInvalidParams() throws {
        let server = try RunningServer(customers: testCustomers())
        let op = try server.session("operator", purpose: nil, contract: nil)
        let file = try writeDelivery(server.directory + "/one.xml", order: "B1", file: 1, of: 1, [])
        for params in [
            "{\"paths\":[\"\(server.directory)\"],\"region\":\"01\"}",  // a directory
            "{\"path\":\"\(file)\",\"paths\":[\"\(file)\"],\"region\":\"01\"}",
            "{\"paths\":[],\"region\":\"01\"}",
            "{\"paths\":[" + Array(repeating: "\"\(file)\"", count: 101).joined(separator: ",")
                + "],\"region\":\"01\"}",
            "{\"paths\":[\"one.xml\"],\"region\":\"01\"}",
            "{\"paths\":[\"\(file)\"],\"region\":\"01\",\"format\":\"xml\"}",
            "{\"region\":\"01\"}",
        ] {
            XCTAssertEqual(try op.call("admin.import", params: params).errorCode, -32602, params)
        }
        let empty = try XCTUnwrap(op.call("admin.import", params: "{\"paths\":[\"\(file)\"],\"region\":\"01\"}").result)
        XCTAssertEqual(empty["inserted"]?.int64Value, 0)
        XCTAssertEqual(empty["format"], .string("navet"))
    }

    func test_commandLine_importsAGeneratedDelivery_thatSurvivesKillDashNine() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try RunningServer(directory: directory, customers: testCustomers())
        let generated = try runFolkbok([
            "generate", "3000", "--format", "navet", "--files", "3", "--out", directory, "--seed", "11",
        ])
        XCTAssertEqual(generated.status, 0, generated.err)
        let files = (1...3).map { directory + "/navet-\($0).xml" }
        let op = try server.session("operator", purpose: nil, contract: nil)
        let persons = try XCTUnwrap(op.call("admin.info").result?["persons"]?.int64Value)
        let r = try runFolkbok(
            ["import", files[2], files[0], files[1], "--region", "03", "--mode", "delta"],
            environment: ["FOLKBOK_SOCKET": server.socketPath])
        XCTAssertTrue(r.out.contains("(navet)") && r.out.contains("3000 inserted"), r.out + r.err)
        let lsn = try XCTUnwrap(op.call("admin.info").result?["lsn"]?.int64Value)

        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        let again = try RunningServer(directory: directory, customers: testCustomers())
        let info = try XCTUnwrap(again.session("operator", purpose: nil, contract: nil).call("admin.info").result)
        XCTAssertEqual(info["persons"]?.int64Value, persons + 3000)
        XCTAssertGreaterThanOrEqual(info["lsn"]?.int64Value ?? 0, lsn)
        let reader = try again.session("SE2321000016-0001", purpose: "care", contract: "extended")
        for post in try NavetFile.read(path: files[1]).posts.prefix(20) {
            let id = try XCTUnwrap(post.personNumber ?? post.coordinationNumber)
            let person = try XCTUnwrap(reader.call("person.get", params: "{\"id\":\"\(id)\"}").result, id)
            XCTAssertEqual(person["name"]?.objectValue?["surname"]?.stringValue, post.name?.surname)
            XCTAssertEqual(person["region"], .string("03"))
        }

        // A refused delivery through the command line names the reason and line, and exits non-zero.
        let cut = directory + "/cut.xml"
        let text = try String(contentsOfFile: files[0], encoding: .utf8)
        try String(text.prefix(text.count / 2)).write(toFile: cut, atomically: true, encoding: .utf8)
        let refused = try runFolkbok(
            ["import", cut, "--region", "03"], environment: ["FOLKBOK_SOCKET": again.socketPath])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.err.contains("malformed_file") && refused.err.contains("line"), refused.err)
    }
}

/// A valid personnummer: `date` YYYYMMDD, `serial` three digits, the Luhn check digit added.
func navetNumber(_ date: String, _ serial: String) -> String {
    let digits = Array((date.dropFirst(2) + serial).utf8).map { Int($0) - 48 }
    var sum = 0
    for (i, d) in digits.enumerated() {
        var v = d * (i % 2 == 0 ? 2 : 1)
        if v > 9 { v -= 9 }
        sum += v
    }
    return date + serial + String((10 - sum % 10) % 10)
}

/// A whole record with a name, municipality 0180 and a registered address on Storgatan 1.
func wholePost(_ id: String, given: String, surname: String, marking: String? = nil) -> NavetPost {
    var post = NavetPost(index: 0)
    post.personNumber = id
    post.name = .init(callNameMarking: marking, given: given, surname: surname)
    post.registration = .init(county: "01", municipality: "80")
    post.addresses = .init(registered: .init(line1: "Storgatan 1", postalCode: "11122", city: "STOCKHOLM"))
    return post
}

/// Writes one file of a delivery (UTF-8) and answers its path.
func writeDelivery(_ path: String, order: String, file: Int, of files: Int, _ posts: [NavetPost]) throws -> String {
    let header = NavetFileHeader(orderId: order, postCount: posts.count, fileCount: files, fileNumber: file)
    try Data(NavetWriter().document(header: header, posts: posts)).write(to: URL(fileURLWithPath: path))
    return path
}
