import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// A test case that hands out fresh temporary directories and removes them afterwards.
class StorageTestCase: XCTestCase {
    private var directories: [String] = []

    func temporaryDirectory() -> String {
        var template = Array("/tmp/folkbok-storage-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        directories.append(path)
        return path
    }

    override func tearDown() {
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        directories = []
        super.tearDown()
    }

    func readFile(_ path: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: path) ?? Data())
    }

    func writeFile(_ path: String, _ bytes: [UInt8]) {
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    /// Runs recovery and collects every applied record.
    func recoverAll(
        _ directory: String, after lsn: UInt64 = 0, truncate: Bool = false
    ) throws(RecoveryError) -> (records: [(lsn: UInt64, payload: [UInt8])], report: RecoveryReport) {
        var records: [(lsn: UInt64, payload: [UInt8])] = []
        let report = try WriteAheadLog.recover(
            directory: directory, fs: RealFileSystem(), after: lsn, truncateCorruptTail: truncate
        ) {
            records.append(($0, Array($1)))
        }
        return (records, report)
    }

    /// The segment files of a log directory, oldest first.
    func segments(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("wal-") }.sorted().map { directory + "/" + $0 }
    }
}

/// Deterministic test data.
enum Samples {
    /// A payload derived from the LSN, so recovered bytes can be checked exactly.
    static func payload(_ lsn: UInt64, size: Int? = nil) -> [UInt8] {
        var rng = SeededGenerator(seed: lsn)
        let n = size ?? Int.random(in: 1...300, using: &rng)
        return (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    static func entries(_ lsns: ClosedRange<UInt64>, size: Int? = nil) -> [(lsn: UInt64, payload: [UInt8])] {
        lsns.map { ($0, payload($0, size: size)) }
    }

    static func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

    /// A record with every optional field nil.
    static let minimal = PersonRecord(id: Identity(kind: .personnummer, value: "190001010006"))

    /// A record with every field set, including non-ASCII text.
    static let full = PersonRecord(
        id: Identity(kind: .samordningsnummer, value: "199012722389"),
        name: PersonName(given: "Åsa Märta", callName: "Åsa", middle: "Ölund", surname: "Øster-Ñúñez 李"),
        birthDate: date(1990, 12, 12), sex: .female,
        address: PostalAddress(
            careOf: "c/o Ängel", street: "Storgatan 1 lgh 1101", postalCode: "11122", city: "Stockholm"),
        specialAddress: PostalAddress(careOf: nil, street: "Box 42", postalCode: "97231", city: "Luleå"),
        foreignAddress: ForeignAddress(lines: ["Rue de l'Église 3", "", "75001 Paris"], country: "Frankrike"),
        county: "01", municipality: "0180", protection: .skyddad, test: true,
        status: PersonStatus(state: .deregistered, civilDate: date(2020, 2, 29), reason: .GS), region: "25",
        contact: ContactDetails(
            email: "åsa@exempel.se", phone: "+46701234567",
            consent: Consent(source: "1177 – webb", date: date(2021, 6, 1)), version: UInt64.max),
        reserveLinks: [
            Identity(kind: .reserve, value: "19901212AB1C", issuer: "national"),
            Identity(kind: .reserve, value: "R-0001234", issuer: "25"),
            Identity(kind: .personnummer, value: "199012122389"),
        ],
        version: 1 << 40)

    /// A varied record for index `i`: fields present or absent by pseudo-random choice.
    static func record(_ i: Int, using rng: inout SeededGenerator) -> (IdentityKey, PersonRecord) {
        let year = 1900 + i % 120, month = 1 + i % 12, day = 1 + i % 28
        let coordination = rng.next() % 5 == 0
        let digits = String(format: "%04d%02d%02d%04d", year, month, day + (coordination ? 60 : 0), i % 10000)
        let id = Identity(kind: coordination ? .samordningsnummer : .personnummer, value: digits)
        func maybe(_ s: String) -> String? { rng.next() % 4 == 0 ? nil : s }
        var r = PersonRecord(id: id)
        r.name = PersonName(
            given: maybe("Förnamn\(i)"), callName: maybe("Kalle"), middle: maybe("Mellan"),
            surname: maybe("Efternamnsson\(i % 977)"))
        r.birthDate = rng.next() % 3 == 0 ? nil : date(year, month, day)
        r.sex = [nil, Sex.female, Sex.male][Int(rng.next() % 3)]
        if rng.next() % 3 != 0 {
            r.address = PostalAddress(
                careOf: maybe("c/o Någon"), street: maybe("Vägen \(i)"), postalCode: maybe("12345"),
                city: maybe("Göteborg"))
        }
        if rng.next() % 7 == 0 {
            r.specialAddress = PostalAddress(street: "Box \(i)", postalCode: "54321", city: "Malmö")
        }
        if rng.next() % 11 == 0 {
            r.foreignAddress = ForeignAddress(lines: ["Line \(i)", "Town"], country: maybe("Norge"))
        }
        r.county = maybe("14")
        r.municipality = maybe("1480")
        r.protection = Protection(rawValue: UInt8(rng.next() % 3))!
        r.test = rng.next() % 2 == 0
        let state = LifeState(rawValue: UInt8(rng.next() % 3))!
        r.status = PersonStatus(
            state: state, civilDate: state == .active ? nil : date(2001, 1, 1),
            reason: state == .deregistered ? DeregistrationReason.allCases[i % 7] : nil)
        r.region = maybe("14")
        if rng.next() % 5 == 0 {
            r.contact = ContactDetails(
                email: maybe("p\(i)@example.se"), phone: maybe("070\(i)"),
                consent: Consent(source: "app", date: date(2022, 3, 4)), version: rng.next())
        }
        if rng.next() % 13 == 0 { r.reserveLinks = [Identity(kind: .reserve, value: "L\(i)", issuer: "14")] }
        r.version = rng.next() % 1000
        return (IdentityKey(id)!, r)
    }

    static func records(_ count: Int, seed: UInt64 = 1) -> [(IdentityKey, PersonRecord)] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { record($0, using: &rng) }
    }
}
