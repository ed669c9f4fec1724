import Foundation
import XCTest

@testable import FolkbokStorage

/// A mapped file holds exactly what reading it gives; an empty file and the fallback path too.
final class FileBytesTests: XCTestCase {
    private func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "folkbok-filebytes-" + UUID().uuidString.prefix(8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func test_mappedFile_equalsTheReadOne() throws {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<(3 * 4096 + 17)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let path = try file(bytes)
        let fs = RealFileSystem()
        let mapped = try fs.mapWholeFile(path)
        XCTAssertEqual(mapped.count, bytes.count)
        XCTAssertEqual(mapped.withUnsafeBytes { Array($0) }, bytes)
        XCTAssertEqual(try fs.readWholeFile(path), bytes)
    }

    func test_emptyFile_givesNoBytes() throws {
        let mapped = try RealFileSystem().mapWholeFile(try file([]))
        XCTAssertEqual(mapped.count, 0)
        XCTAssertEqual(mapped.withUnsafeBytes { $0.count }, 0)
    }

    func test_otherFileSystems_readTheFile() throws {
        let fs = MemoryFileSystem()
        let fd = try fs.open("/f", flags: O_CREAT | O_WRONLY, mode: 0o600)
        try ([1, 2, 3] as [UInt8]).withUnsafeBytes { try fs.pwrite(fd, $0, at: 0) }
        fs.close(fd)
        XCTAssertEqual(try fs.mapWholeFile("/f").withUnsafeBytes { Array($0) }, [1, 2, 3])
    }

    func test_missingFile_throwsNamingIt() {
        XCTAssertThrowsError(try RealFileSystem().mapWholeFile("/nonexistent/folkbok-none")) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/folkbok-none"), "\(error)")
        }
    }
}
