import FolkbokDemo
import FolkbokModel
import FolkbokNavet
import XCTest

/// Generated Navet deliveries read back through `FolkbokNavet` to the records the generator meant.
final class SyntheticNavetTests: XCTestCase {
    let today = CivilDate(year: 2026, month: 1, day: 1)!

    func delivery(count: Int, files: Int, seed: UInt64, encoding: NavetWriter.Encoding = .utf8) -> [[UInt8]] {
        var out = [[UInt8]](repeating: [], count: files)
        SyntheticNavet.write(count: count, files: files, seed: seed, region: nil, today: today, encoding: encoding) {
            number, bytes in
            out[number - 1] += bytes
        }
        return out
    }

    func test_generatedDelivery_readsBackToTheMeantRecords_withoutRejection() throws {
        for encoding in [NavetWriter.Encoding.utf8, .latin1] {
            let files = delivery(count: 3000, files: 3, seed: 7, encoding: encoding)
            let read = try files.reversed().map { bytes throws(NavetFileError) in try NavetFile.read(bytes: bytes) }
            let order = try NavetDelivery.order(read.map(\.header))
            XCTAssertEqual(order, [2, 1, 0])
            let posts = order.flatMap { read[$0].posts }
            let meant = Array(SyntheticNavet.people(count: 3000, seed: 7, region: nil, today: today))
            XCTAssertEqual(posts.count, meant.count)
            var stats = (
                deceased: 0, deregistered: 0, incomplete: 0, sekretess: 0, skyddad: 0, relations: 0, joinedCallNames: 0,
                nonASCII: 0, referred: 0
            )
            for (post, person) in zip(posts, meant) {
                let m: NavetMappedPost
                do { m = try NavetMapping.map(post, today: today) } catch {
                    XCTFail("post rejected: \(error.reason)")
                    continue
                }
                XCTAssertTrue(m.isWhole)
                XCTAssertEqual(m.record, person.record)
                XCTAssertEqual(m.statusDate, person.statusDate)
                XCTAssertEqual(m.profile4, person.profile4)
                if m.record.status.state == .deceased { stats.deceased += 1 }
                if m.record.status.state == .deregistered { stats.deregistered += 1 }
                if let d = m.statusDate, !d.isComplete { stats.incomplete += 1 }
                if m.record.protection == .sekretess { stats.sekretess += 1 }
                if m.record.protection == .skyddad { stats.skyddad += 1 }
                if !m.profile4.relations.isEmpty { stats.relations += 1 }
                if m.record.name.callName?.contains("-") == true { stats.joinedCallNames += 1 }
                if m.record.name.given?.unicodeScalars.contains(where: { "åäöÅÄÖ".unicodeScalars.contains($0) }) == true
                {
                    stats.nonASCII += 1
                }
                if m.profile4.referredTo != nil { stats.referred += 1 }
            }
            XCTAssertGreaterThan(stats.deceased, 10)
            XCTAssertGreaterThan(stats.deregistered, 3)
            XCTAssertGreaterThan(stats.incomplete, 0)
            XCTAssertGreaterThan(stats.sekretess, 3)
            XCTAssertGreaterThan(stats.relations, 500)
            XCTAssertGreaterThan(stats.joinedCallNames, 5)
            XCTAssertGreaterThan(stats.nonASCII, 50)
            // The synthetic records, apart from what Navet does not carry, are the ones read.
            let synthetic = Array(SyntheticPopulation.make(count: 3000, seed: 7, region: nil, today: today))
            XCTAssertEqual(synthetic.map(\.id), meant.map(\.record.id))
            XCTAssertEqual(synthetic.map(\.address), meant.map(\.record.address))
            XCTAssertEqual(synthetic.map(\.protection), meant.map(\.record.protection))
        }
    }

    func test_delivery_isDeterministicAndSharesOneOrder() throws {
        XCTAssertEqual(delivery(count: 200, files: 2, seed: 3), delivery(count: 200, files: 2, seed: 3))
        XCTAssertNotEqual(delivery(count: 200, files: 2, seed: 3), delivery(count: 200, files: 2, seed: 4))
        let headers = try delivery(count: 200, files: 4, seed: 3).map { bytes throws(NavetFileError) in
            try NavetFile.read(bytes: bytes).header
        }
        XCTAssertEqual(Set(headers.map(\.orderId)).count, 1)
        XCTAssertEqual(headers.map(\.fileNumber), [1, 2, 3, 4])
        XCTAssertEqual(headers.compactMap(\.postCount).reduce(0, +), 200)
        XCTAssertEqual(headers.map(\.fileCount), [4, 4, 4, 4])
    }
}
