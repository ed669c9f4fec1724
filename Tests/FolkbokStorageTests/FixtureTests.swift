import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// Golden files in Snapshots/fixtures/: the v1 formats as committed must keep reading exactly so,
/// and today's writers must still write them byte for byte. Regenerate (only when the format
/// version changes) with FOLKBOK_WRITE_FIXTURES=1.
final class FixtureTests: StorageTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Snapshots/fixtures").path

    /// Offset of the torn sixth frame in the WAL fixture (FORMAT.md, "Fixtures").
    static let tornFrameOffset: Int64 = 742
    /// The byte flipped in the corrupt snapshot fixture, and the chunk it lies in.
    static let flippedByte = 100
    static let corruptChunkOffset = 32

    static let records: [(IdentityKey, PersonRecord)] = {
        func d(_ y: Int, _ m: Int, _ day: Int) -> CivilDate { CivilDate(year: y, month: m, day: day)! }
        let full = Samples.full
        let minimal = Samples.minimal
        var deceased = PersonRecord(
            id: Identity(kind: .personnummer, value: "194512249876"),
            name: PersonName(given: "Karl-Erik", surname: "Åström"),
            birthDate: d(1945, 12, 24), sex: .male, county: "25", municipality: "2580")
        deceased.status = PersonStatus(state: .deceased, civilDate: d(2023, 5, 17))
        deceased.version = 3
        var nrid = PersonRecord(id: Identity(kind: .reserve, value: "19800101XYZ3", issuer: "national"))
        nrid.name = PersonName(surname: "Doe")
        nrid.protection = .sekretess
        nrid.status = PersonStatus(state: .deregistered, civilDate: d(2010, 1, 1), reason: .UV)
        var test = PersonRecord(id: Identity(kind: .personnummer, value: "201212121212"), test: true)
        test.address = PostalAddress(street: "Testvägen 1", postalCode: "12345", city: "Teststad")
        test.reserveLinks = [Identity(kind: .reserve, value: "19800101XYZ3", issuer: "national")]
        return [
            (IdentityKey(raw: 42), full), (IdentityKey(minimal.id)!, minimal), (IdentityKey(deceased.id)!, deceased),
            (IdentityKey(nrid.id)!, nrid), (IdentityKey(test.id)!, test),
        ]
    }()

    /// Writes the fixtures again (into a scratch directory, or over the committed ones with
    /// FOLKBOK_WRITE_FIXTURES=1) and compares them with the committed bytes.
    func testFixtures_areWhatTodaysWritersWrite() async throws {
        let regenerate = ProcessInfo.processInfo.environment["FOLKBOK_WRITE_FIXTURES"] == "1"
        let fs = RealFileSystem()
        let dir = regenerate ? Self.fixtures : temporaryDirectory()
        let work = temporaryDirectory()
        let info = try SnapshotFile.write(
            directory: work, lsn: 5, records: Self.records, sections: ["counters": [1, 0, 0, 0]], fs: fs)
        var snapshot = readFile(info.path)
        writeFile(dir + "/v1-snapshot.fbsnap", snapshot)
        snapshot[Self.flippedByte] ^= 0x01
        writeFile(dir + "/v1-snapshot-corrupt.fbsnap", snapshot)

        let walDir = dir + "/v1-wal-torn-tail"
        try? FileManager.default.removeItem(atPath: walDir)
        let wal = try WriteAheadLog.open(directory: walDir, fs: fs, nextLSN: 1, segmentBytes: 64 << 10)
        let mutations = Self.records.map { Mutation.upsert($0.0, $0.1) } + [.remove(IdentityKey(raw: 42))]
        try await wal.append(mutations.enumerated().map { (UInt64($0.offset + 1), RecordCodec.encode($0.element)) })
        wal.close()
        let segment = walDir + "/wal-00000000000000000001.log"
        var bytes = readFile(segment)
        let sixth = 24 + mutations.dropLast().reduce(0) { $0 + 16 + RecordCodec.encode($1).count }
        XCTAssertEqual(Int64(sixth), Self.tornFrameOffset)
        for i in (sixth + 12)..<(sixth + 16 + RecordCodec.encode(mutations[5]).count) { bytes[i] = 0 }
        writeFile(segment, bytes)
        for name in [
            "v1-snapshot.fbsnap", "v1-snapshot-corrupt.fbsnap", "v1-wal-torn-tail/wal-00000000000000000001.log",
        ] where !regenerate {
            XCTAssertEqual(readFile(dir + "/" + name), readFile(Self.fixtures + "/" + name), name)
        }
    }

    func testV1SnapshotFixtureReadsExactlyTheFiveRecordsAndSection() throws {
        var read: [(IdentityKey, PersonRecord)] = []
        let info = try SnapshotFile.read(path: Self.fixtures + "/v1-snapshot.fbsnap", fs: RealFileSystem()) {
            read.append(($0, $1))
        }
        XCTAssertEqual(info.lsn, 5)
        XCTAssertEqual(info.count, 5)
        XCTAssertEqual(info.sections, ["counters": [1, 0, 0, 0]])
        XCTAssertEqual(read.map(\.0), Self.records.map(\.0))
        XCTAssertEqual(read.map(\.1), Self.records.map(\.1))
    }

    func testV1CorruptSnapshotFixtureIsRejectedNamingTheChunkOffset() {
        let path = Self.fixtures + "/v1-snapshot-corrupt.fbsnap"
        guard case .failure(let error) = SnapshotFile.verify(path: path, fs: RealFileSystem()) else {
            return XCTFail("accepted")
        }
        XCTAssertEqual(error.path, path)
        XCTAssertEqual(error.offset, Self.corruptChunkOffset)
        XCTAssertEqual(error.problem, "chunk checksum mismatch")
        XCTAssertTrue(error.description.contains("byte offset 32"), error.description)
    }

    func testV1TornWALFixtureRecoversFiveRecordsAndCutsAtTheDocumentedOffset() throws {
        let dir = temporaryDirectory()
        let name = "wal-00000000000000000001.log"
        writeFile(dir + "/" + name, readFile(Self.fixtures + "/v1-wal-torn-tail/" + name))
        var mutations: [Mutation] = []
        let report = try WriteAheadLog.recover(
            directory: dir, fs: RealFileSystem(), after: 0, truncateCorruptTail: false
        ) { lsn, payload in
            XCTAssertEqual(lsn, UInt64(mutations.count + 1))
            mutations.append(try RecordCodec.decode(payload))
        }
        XCTAssertEqual(mutations, Self.records.map { .upsert($0.0, $0.1) })
        XCTAssertEqual(report.lastLSN, 5)
        XCTAssertEqual(report.truncatedTail?.file, dir + "/" + name)
        XCTAssertEqual(report.truncatedTail?.offset, Self.tornFrameOffset)
    }

    /// `v1-wal-grown` is the torn-tail fixture cut right after its fifth frame: a segment that
    /// grows as needed may end exactly where its last record ends, with no zeros after it.
    func testV1GrownWALFixture_endingRightAfterItsLastFrame_recoversAndTakesMoreRecords() async throws {
        let dir = temporaryDirectory()
        let name = "wal-00000000000000000001.log"
        writeFile(dir + "/" + name, readFile(Self.fixtures + "/v1-wal-grown/" + name))
        XCTAssertEqual(readFile(dir + "/" + name).count, Int(Self.tornFrameOffset))
        var mutations: [Mutation] = []
        let report = try WriteAheadLog.recover(
            directory: dir, fs: RealFileSystem(), after: 0, truncateCorruptTail: false
        ) { _, payload in
            mutations.append(try RecordCodec.decode(payload))
        }
        XCTAssertEqual(mutations, Self.records.map { .upsert($0.0, $0.1) })
        XCTAssertNil(report.truncatedTail, "the end of the file is a clean end of the log")
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 6, segmentBytes: 64 << 10)
        try await wal.append([(6, RecordCodec.encode(.remove(IdentityKey(raw: 42))))])
        wal.close()
        XCTAssertEqual(segments(dir).count, 1, "the segment grew instead of a new one starting")
        let (records, _) = try recoverAll(dir)
        XCTAssertEqual(records.map(\.lsn), Array(1...6))
    }
}
