import FolkbokStorage
import Foundation
import XCTest

@testable import FolkbokStats

/// Export files: private, checked before use, expired for good, owned by one customer.
final class ExportStoreTests: XCTestCase {
    var directory = ""

    override func setUp() { directory = NSTemporaryDirectory() + "folkbok-exports-" + UUID().uuidString.prefix(8) }
    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    func make(_ store: ExportStore, rows: Int, customer: String = "A", now: Int64 = 1000) throws -> StatsExport {
        try store.create(customer: customer, kind: .pseudonymised, now: now, ttlMicros: 500) { sink in
            for i in 0..<rows { try sink.append { $0 += Array("{\"n\":\(i)}".utf8) } }
        }
    }

    func allRows(_ store: ExportStore, _ export: StatsExport) throws -> [UInt8] {
        try store.verify(export)
        let reader = try store.reader(export)
        var out: [UInt8] = []
        while let piece = try reader.next() {
            XCTAssertEqual(piece.last, 0x0A, "pieces end at a line end")
            out += piece
        }
        return out
    }

    func testRowsComeBackExactly_inWholeLines_andFilesArePrivate() throws {
        let store = try ExportStore.open(directory: directory, fs: RealFileSystem())
        let export = try make(store, rows: 200_000)
        XCTAssertEqual(export.rows, 200_000)
        let text = String(decoding: try allRows(store, export), as: UTF8.self)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 200_000)
        XCTAssertEqual(lines[123_456], "{\"n\":123456}")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            let mode =
                try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.posixPermissions] as! Int
            XCTAssertEqual(mode, 0o600, name)
        }
    }

    func testAlteredRows_areRefused() throws {
        let store = try ExportStore.open(directory: directory, fs: RealFileSystem())
        let export = try make(store, rows: 10)
        let path = directory + "/" + export.id + ".rows"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] = UInt8(ascii: "7")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try store.verify(export))
        try Data(bytes.dropLast()).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try store.verify(export))
    }

    func testOwnershipListingExpiryAndDeletion_surviveReopening() throws {
        var store = try ExportStore.open(directory: directory, fs: RealFileSystem())
        let a1 = try make(store, rows: 2, now: 1000)
        let a2 = try make(store, rows: 3, now: 1100)
        let b = try make(store, rows: 1, customer: "B", now: 1200)
        XCTAssertEqual(store.list(customer: "A", now: 1200).map(\.id), [a1.id, a2.id])
        XCTAssertEqual(store.lookup(b.id, customer: "A", now: 1200), .unknown)
        XCTAssertEqual(try store.delete(b.id, customer: "A", now: 1200), .unknown)

        store = try ExportStore.open(directory: directory, fs: RealFileSystem())
        XCTAssertEqual(store.lookup(a1.id, customer: "A", now: 1200), .found(a1))
        XCTAssertEqual(store.lookup(a1.id, customer: "A", now: 1500), .expired, "past expiry even before the sweep")
        XCTAssertEqual(try store.expire(now: 1550), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/" + a1.id + ".rows"))
        XCTAssertEqual(store.list(customer: "A", now: 1550).map(\.id), [a2.id])

        store = try ExportStore.open(directory: directory, fs: RealFileSystem())
        XCTAssertEqual(store.lookup(a1.id, customer: "A", now: 0), .expired, "expired for good, also after a restart")
        XCTAssertEqual(try store.delete(a2.id, customer: "A", now: 1550), .found(a2))
        XCTAssertEqual(store.lookup(a2.id, customer: "A", now: 1550), .unknown)
        XCTAssertEqual(try allRows(store, b).count, "{\"n\":0}\n".utf8.count)
    }

    func testExportRecord_rejectsEveryTruncationAndFlippedByte() throws {
        let export = StatsExport(
            id: "abc", customer: "A", kind: .identified, rows: 5, bytes: 99, created: 1, expiresAt: 2, crc: 7)
        let bytes = export.encoded()
        XCTAssertEqual(try StatsExport(decoding: bytes), export)
        for n in 0..<bytes.count { XCTAssertThrowsError(try StatsExport(decoding: Array(bytes.prefix(n)))) }
        for i in 0..<bytes.count {
            var flipped = bytes
            flipped[i] ^= 0x10
            XCTAssertThrowsError(try StatsExport(decoding: flipped), "byte \(i)")
        }
    }
}
