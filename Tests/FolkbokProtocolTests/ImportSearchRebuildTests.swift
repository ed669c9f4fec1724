import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import Foundation
import XCTest

@testable import FolkbokProtocol

/// An import rebuilds the search indexes at most once: once after a bulk load, never after a
/// small one (the indexes follow each batch, as they follow every write).
final class ImportSearchRebuildTests: XCTestCase {
    private func importFile() throws -> String {
        let path = NSTemporaryDirectory() + "folkbok-import-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).ndjson"
        var bytes: [UInt8] = []
        for number in [ServiceHarness.plain, ServiceHarness.sekretess, ServiceHarness.skyddad] {
            bytes += RecordEncoder.fullView(ServiceHarness.person(number, .none))
            bytes.append(0x0A)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func runImport(_ h: ServiceHarness, _ path: String) async -> JSONValue? {
        _ = await h.open("operator", purpose: nil, contract: nil)
        return await h.json(
            #"{"id":1,"method":"admin.import","params":{"path":"\#(path)","region":"01","mode":"delta"}}"#)
    }

    func test_bulkImport_rebuildsTheSearchIndexesExactlyOnce() async throws {
        let path = try importFile()
        defer { unlink(path) }
        let h = await ServiceHarness { $0.bulkImportChanges = 3 }
        let before = h.service.engine.searchIndexRebuilds
        let answer = await runImport(h, path)
        XCTAssertEqual(answer?["result"]?["updated"], .number("3"), "\(String(describing: answer))")
        XCTAssertEqual(h.service.engine.searchIndexRebuilds - before, 1)
        // The batches left the index alone once the import was a bulk load; the rebuild at
        // its end built every shard's again, exact.
        for shard in h.service.engine.shards {
            XCTAssertTrue(shard.view.read { $0.searchIndexIsBuilt && $0.searchIndexIsExact })
        }
    }

    /// A bulk import drops the index after the batch that makes it one (`deferSearchIndex`),
    /// and only then: a search during the import still finds what is committed.
    func test_bulkImport_defersTheIndexOnceItIsABulkLoad_andSearchesStayExactMeanwhile() async throws {
        let h = await ServiceHarness()
        var importer = Importer(
            engine: h.service.engine, tracker: ImportTracker(), today: CivilDate(year: 2026, month: 12, day: 8)!)
        importer.bulkLoadChanges = 2
        var report = ImportReport()
        report.updated = 1
        await importer.deferSearchIndexIfBulk(changedBefore: 0, report)
        XCTAssertTrue(
            h.service.engine.shards.allSatisfy { $0.view.read { $0.searchIndexIsBuilt } }, "below the threshold")
        report.updated = 2
        await importer.deferSearchIndexIfBulk(changedBefore: 1, report)
        XCTAssertFalse(h.service.engine.shards.contains { $0.view.read { $0.searchIndexIsBuilt } }, "deferred")
        let found = await h.service.engine.search(
            SearchCriteria(surname: NamePattern("Tolvansson")), after: nil, limit: 100)
        let plain = IdentityKey(try IdentityParser.parse(ServiceHarness.plain, today: importer.today))!
        XCTAssertTrue(found.contains(plain), "\(found)")
    }

    func test_smallImport_rebuildsNothing() async throws {
        let path = try importFile()
        defer { unlink(path) }
        let h = await ServiceHarness()
        let before = h.service.engine.searchIndexRebuilds
        let answer = await runImport(h, path)
        XCTAssertEqual(answer?["result"]?["updated"], .number("3"), "\(String(describing: answer))")
        XCTAssertEqual(h.service.engine.searchIndexRebuilds - before, 0)
    }
}
