import FolkbokDemo
import FolkbokModel
import XCTest

@testable import FolkbokIndex

/// The P4 details arena: what goes in comes out, released blobs are dropped by compaction with
/// every row still finding its own, and the row that points into it is no wider for it.
final class DetailArenaTests: XCTestCase {
    /// Every shape `P4Samples` makes, and the edges of the encoding: a string of 200 bytes
    /// (a two-byte length), 300 relations (a two-byte count), issuers, birth times, places
    /// with one part unknown, empty strings.
    func samples() -> [PersonDetails] {
        var all = (0..<2_000).compactMap { P4Samples.details($0) }
        let long = String(repeating: "Å", count: 100)
        all.append(
            PersonDetails(
                civilStatus: .init(code: "Ä", date: nil),
                citizenships: [.init(country: "", date: RegisterDate(iso: "1990"))],
                birthPlace: .abroad(place: long, country: nil), immigrationDate: RegisterDate(iso: "2001-02-03"),
                relations: (0..<300).map {
                    .init(
                        id: $0 % 2 == 0
                            ? .identity(Identity(kind: .reserve, value: "R\($0)", issuer: "SE2321000016-\($0)"))
                            : .birthTime("20200101-\($0)"),
                        type: PersonDetails.RelationType.allCases[$0 % PersonDetails.RelationType.allCases.count],
                        from: $0 % 3 == 0 ? nil : RegisterDate(iso: "2020-05"), to: RegisterDate(iso: "2030"))
                },
                referredTo: Identity(kind: .samordningsnummer, value: "199001712380")))
        all.append(PersonDetails(birthPlace: .sweden(county: nil, parish: "")))
        // Twelve digits with a leading zero (packed), twelve characters not all digits (not).
        all.append(PersonDetails(referredTo: Identity(kind: .samordningsnummer, value: "012345678901")))
        all.append(PersonDetails(referredTo: Identity(kind: .reserve, value: "22790814AA01")))
        all.append(PersonDetails(referredTo: Identity(kind: .personnummer, value: "194911172296", issuer: long)))
        return all
    }

    func test_appendThenRead_givesBackEveryShape() {
        var arena = DetailArena()
        let all = samples()
        let offsets = all.map { arena.append($0) }
        XCTAssertEqual(arena.count, all.count)
        for (d, at) in zip(all, offsets) { XCTAssertEqual(arena.details(at: at), d) }
        XCTAssertEqual(arena.liveBytes, arena.bytes.count)
    }

    /// A personnummer with no issuer (what relations mostly hold) takes six bytes.
    func test_twelveDigitIdentity_isPackedIntoSixBytes() {
        var arena = DetailArena()
        let d = PersonDetails(referredTo: Identity(kind: .personnummer, value: "194911172296"))
        let at = arena.append(d)
        XCTAssertEqual(arena.bytes.count, 1 + 1 + 1 + 1 + 6, "length, presence, the two counts, identity")
        XCTAssertEqual(arena.details(at: at), d)
    }

    func test_compaction_dropsReleasedBlobs_andRowsFindTheirOwn() {
        var arena = DetailArena()
        let all = samples()
        var rows: [PersonRow] = []
        for (i, d) in all.enumerated() {
            var row = PersonRow(
                key: UInt64(i + 1), version: 0, given: 0, callName: 0, middle: 0, surname: 0, careOf: 0, street: 0,
                postalCode: 0, city: 0, birthDate: 0, statusDate: 0, county: 0, municipality: 0, region: 0, sex: 0,
                protection: 0, state: 0, reason: 0, flags: [.hasDetails])
            row.detailAt = arena.append(d)
            rows.append(row)
        }
        for i in rows.indices where i % 3 != 0 {
            arena.release(at: rows[i].detailAt)
            rows[i].flags.remove(.hasDetails)
        }
        let live = arena.liveBytes
        XCTAssertLessThan(live, arena.bytes.count)
        arena.compact(rows: &rows)
        XCTAssertEqual(arena.bytes.count, live, "only the live blobs are kept")
        XCTAssertEqual(arena.garbageBytes, 0)
        for (i, row) in rows.enumerated() where i % 3 == 0 {
            XCTAssertEqual(arena.details(at: row.detailAt), all[i], "row \(i)")
        }
    }

    /// Through the store: many replacements of detailed persons keep the arena near its live
    /// size (compaction runs) and every record as last stored.
    func test_storeReplacingDetails_compactsAndKeepsEveryRecord() {
        var store = PersonStore()
        var latest: [IdentityKey: PersonRecord] = [:]
        let all = samples().filter { $0.relations.count < 10 }
        for round in 0..<100 {
            for n in 0..<500 {
                let id = Identity(kind: .personnummer, value: String(195001011000 + UInt64(n)))
                var r = PersonRecord(id: id, name: PersonName(given: "G\(round)", surname: "S"))
                r.details = all[(n * 7 + round) % all.count]
                let key = IdentityKey(id)!
                store.upsert(r, key: key)
                latest[key] = r
            }
        }
        // Some 3.5 MB were written; compaction keeps at most a MiB of released blobs.
        XCTAssertLessThanOrEqual(store.details.bytes.count, store.details.liveBytes + (1 << 20) + 4096)
        XCTAssertEqual(store.details.count, 500)
        for (key, r) in latest {
            XCTAssertEqual(store.record(for: key), r)
            XCTAssertEqual(store.withPacked(key) { $0?.details }, r.details)
        }
    }

    func test_personRow_staysSeventyTwoBytes() {
        XCTAssertEqual(MemoryLayout<PersonRow>.stride, 72, "detailAt lives in what was padding")
    }
}
