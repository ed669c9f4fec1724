import FolkbokModel
import FolkbokNavet
import Foundation
import XCTest

/// `folkbok generate N --format navet` through the binary.
final class GenerateNavetTests: XCTestCase {
    func test_generateNavet_writesADeliveryTheReaderAccepts() throws {
        let directory = NSTemporaryDirectory() + "generate-navet-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let r = try runFolkbok([
            "generate", "300", "--format", "navet", "--files", "3", "--out", directory, "--seed", "5",
            "--encoding", "ISO-8859-1",
        ])
        XCTAssertEqual(r.status, 0, r.err)
        let files = try (1...3).map { n throws(NavetFileError) in
            try NavetFile.read(path: directory + "/navet-\(n).xml")
        }
        XCTAssertEqual(try NavetDelivery.order(files.map(\.header)), [0, 1, 2])
        XCTAssertEqual(files.map(\.posts.count).reduce(0, +), 300)
        let today = CivilDate(year: 2026, month: 1, day: 1)!
        for post in files.flatMap(\.posts) { XCTAssertNoThrow(try NavetMapping.map(post, today: today)) }
        let raw = try Data(contentsOf: URL(fileURLWithPath: directory + "/navet-1.xml"))
        XCTAssertTrue(raw.starts(with: Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".utf8)))

        let once = try runFolkbok(["generate", "20", "--format", "navet", "--seed", "5"])
        XCTAssertEqual(once.status, 0)
        XCTAssertEqual(once.out, try runFolkbok(["generate", "20", "--format", "navet", "--seed", "5"]).out)
        XCTAssertEqual(try NavetFile.read(bytes: Array(once.out.utf8)).posts.count, 20)
    }

    func test_generateNavet_refusesBadFlags() throws {
        XCTAssertEqual(try runFolkbok(["generate", "10", "--format", "navet", "--files", "2"]).status, 2)
        XCTAssertEqual(
            try runFolkbok(["generate", "10", "--format", "navet", "--files", "0", "--out", "/tmp"]).status, 2)
        XCTAssertEqual(try runFolkbok(["generate", "10", "--format", "xml"]).status, 2)
        XCTAssertEqual(try runFolkbok(["generate", "10", "--format", "navet", "--encoding", "UTF-16"]).status, 2)
        XCTAssertEqual(try runFolkbok(["generate", "10", "--files", "2"]).status, 2)
        XCTAssertEqual(try runFolkbok(["generate", "10", "--format", "navet", "--p4"]).status, 2)
    }
}
