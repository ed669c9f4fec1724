import FolkbokModel
import XCTest

@testable import FolkbokIndex

/// Hand-made corruptions that no checksum would catch (a buggy writer): each is rejected with
/// the problem named.
final class PersonStoreImageCorruptionTests: XCTestCase {
    private let (store, _) = StoreSamples.store(200)

    private func image(_ edit: (inout PersonStore) -> Void) -> [UInt8] {
        var s = store
        edit(&s)
        var bytes: [UInt8] = []
        s.writeImage(into: &bytes)
        return bytes
    }

    private func assertRejected(
        _ bytes: [UInt8], _ problem: String, layout: StoreImageDetails = .blobs, file: StaticString = #filePath,
        line: UInt = #line
    ) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(StoreImageError) in try PersonStore(image: raw, details: layout) }
        }
        guard case .failure(let error) = result else { return XCTFail("accepted", file: file, line: line) }
        XCTAssertTrue(error.problem.contains(problem), "\(error)", file: file, line: line)
    }

    private func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func test_stringIdOutOfRange() {
        assertRejected(image { $0.rows[3].surname = UInt32($0.strings.count + 1) }, "string id out of range")
    }

    func test_codeIdOutOfRange() {
        assertRejected(image { $0.rows[0].region = UInt16($0.codes.count + 1) }, "code id out of range")
    }

    func test_duplicateKey() {
        // Two rows without P4 details: a detailed row's key also has a side-table entry, where
        // a repeated key is refused first ("side table keys not in ascending order").
        assertRejected(
            image { s in
                let plain = s.rows.indices.filter { !s.rows[$0].flags.contains(.hasDetails) }
                s.rows[plain[0]].key = s.rows[plain[1]].key
            }, "key occurs twice")
    }

    func test_reservedKey() {
        assertRejected(image { $0.rows[5].key = UInt64.max }, "reserved")
    }

    /// A side-table entry under the reserved key (what empty key-index slots hold) is an entry
    /// without a row, not a lookup that finds one.
    func test_sideTableEntryUnderTheReservedKey() {
        var empty = PersonStore()
        empty.setHistory(
            [HistoryEntry(value: .municipality("0180"), until: CivilDate(year: 2026, month: 1, day: 1)!)],
            key: UInt64.max)
        var bytes: [UInt8] = []
        empty.writeImage(into: &bytes)
        assertRejected(bytes, "history entry without a flagged row")
    }

    func test_invalidDate() {
        assertRejected(image { $0.rows[1].birthDate = 20230230 }, "birth date invalid")
    }

    /// Every flag bit has a meaning now (64 details, 128 history); a flag whose side table has
    /// no entry for the row is still refused.
    func test_flagBitWithoutItsSideTableEntry() {
        func plainFirstRow(_ s: inout PersonStore) {
            let key = s.rows[0].key
            if s.rows[0].flags.contains(.hasDetails) { s.details.release(at: s.rows[0].detailAt) }
            s.setHistory([], key: key)
            s.rows[0].flags.remove([.hasDetails, .hasHistory])
        }
        var bytes = image(plainFirstRow)
        bytes[8 + 66] |= 0x80
        assertRejected(bytes, "history flag set on a row without an entry")
        bytes = image(plainFirstRow)
        bytes[8 + 66] |= 0x40
        assertRejected(bytes, "details flag set on a row without an entry")
    }

    /// Detail tables are only read where the snapshot's version allows them (3 and later); in
    /// a version 2 image they are bytes after the side tables.
    func test_detailTablesRefusedInAVersionTwoImage() {
        XCTAssertTrue(store.hasDetailTables)
        assertRejected(image { _ in }, "bytes after the side tables", layout: .absent)
    }

    func test_historyWithAnImpossibleDate() {
        var bytes = image { _ in }
        // The last 4 bytes of the image are the last history entry's `until` date.
        bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: u32(20230229))
        assertRejected(bytes, "history date invalid")
    }

    func test_addressFieldsWithoutAddressFlag() {
        assertRejected(
            image {
                $0.rows[2].flags.remove(.hasAddress)
                $0.rows[2].city = 1
            }, "no address")
    }

    func test_flagWithoutSideTableEntry() {
        assertRejected(
            image {
                $0.rows[2].flags.insert(.hasContact)
                $0.contacts[$0.rows[2].key] = nil
            }, "without an entry")
    }

    func test_sideTableEntryWithoutFlag() {
        assertRejected(
            image { s in
                let row = s.rows.firstIndex { $0.flags.contains(.hasForeignAddress) }!
                s.rows[row].flags.remove(.hasForeignAddress)
            }, "without a flagged row")
    }

    func test_startsNotMonotonic() {
        assertRejected(image { $0.strings.starts.swapAt(4, 5) }, "starts not rising")
    }

    func test_duplicateString() {
        assertRejected(
            image { s in
                let a = s.strings.intern("dubblett"), b = s.strings.intern("dubbletX")
                s.strings.arena[Int(s.strings.starts[Int(b) + 1]) - 1] = UInt8(ascii: "t")
                _ = a
            }, "twice")
    }

    func test_invalidUTF8InPool() {
        assertRejected(
            image { s in
                let id = s.strings.intern("abc")
                s.strings.arena[Int(s.strings.starts[Int(id)])] = 0xC0
            }, "not valid UTF-8")
    }

    func test_countsLargerThanTheImage() {
        var bytes = image { _ in }
        bytes.replaceSubrange(0..<8, with: u32(UInt32.max) + u32(0))
        assertRejected(bytes, "row count larger")
    }

    private let oneId = Identity(kind: .personnummer, value: "195001011000")

    /// One person whose details end in one relation and no referral.
    private func onePerson(_ details: PersonDetails) -> (PersonStore, PersonRecord) {
        var one = PersonStore()
        var r = PersonRecord(id: oneId, name: PersonName(given: "Eva", surname: "Berg"))
        r.details = details
        one.upsert(r, key: IdentityKey(oneId)!)
        return (one, r)
    }

    private let relationLast = PersonDetails(
        civilStatus: .init(code: "G", date: nil),
        relations: [.init(id: .birthTime("20200101-0123"), type: .child, from: nil, to: RegisterDate(iso: "2030"))])

    /// A version 3 entry is checked field by field as it is read into the arena: the last
    /// bytes before the (empty) history table are the relation's type, dates and the referral
    /// flag.
    func test_detailEntryFieldsAreChecked() {
        let (one, r) = onePerson(relationLast)
        var bytes: [UInt8] = []
        one.writeImage(into: &bytes, details: .entries)
        let referral = bytes.count - 5, to = bytes.count - 9, type = bytes.count - 14
        let loaded = bytes.withUnsafeBytes { raw in
            Result { () throws(StoreImageError) in try PersonStore(image: raw, details: .entries) }
        }
        XCTAssertEqual(try loaded.get().record(for: IdentityKey(oneId)!)?.details, r.details)
        var bad = bytes
        bad[referral] = 2
        assertRejected(bad, "referredTo presence not 0 or 1", layout: .entries)
        bad = bytes
        bad.replaceSubrange(to..<to + 4, with: u32(20230230))
        assertRejected(bad, "relation to invalid", layout: .entries)
        bad = bytes
        bad[type] = 99
        assertRejected(bad, "relation type unknown", layout: .entries)
    }

    /// A version 4 blob is checked field by field before its row points at it: here the blob
    /// ends in the relation's type byte and two dates, right before the (empty) history table.
    func test_detailBlobFieldsAreChecked() {
        let (one, r) = onePerson(relationLast)
        let bytes = image(of: one)
        let to = bytes.count - 8, type = bytes.count - 13
        var blob: [UInt8] = []
        DetailBlob.encode(r.details!, into: &blob)
        let blobAt = bytes.count - 4 - blob.count
        XCTAssertEqual(Array(bytes[blobAt..<bytes.count - 4]), blob, "the blob is stored as the arena keeps it")
        XCTAssertEqual(Int(bytes[blobAt - 1]), blob.count, "after its length")
        let loaded = bytes.withUnsafeBytes { raw in Result { () throws(StoreImageError) in try PersonStore(image: raw) }
        }
        XCTAssertEqual(try loaded.get().record(for: IdentityKey(oneId)!)?.details, r.details)
        var bad = bytes
        bad.replaceSubrange(to..<to + 4, with: u32(20230230))
        assertRejected(bad, "relation to invalid")
        bad = bytes
        bad[type] = 8
        assertRejected(bad, "relation type unknown")
        bad = bytes
        bad[blobAt] = 0x40
        assertRejected(bad, "presence bits unknown")
        bad = bytes
        bad[blobAt + 2] = 0xFF  // the civil status code's first byte
        assertRejected(bad, "civil status code is not valid UTF-8")
        bad = bytes
        bad[blobAt + 2] = UInt8(ascii: "X")
        assertRejected(bad, "civil status code unknown")
        bad = bytes
        bad[blobAt - 1] += 1
        assertRejected(bad, "details blob longer than the details")
        bad = bytes
        bad[blobAt - 1] -= 1
        assertRejected(bad, "details blob:")
        bad = bytes
        bad[blobAt - 13] = 2  // the count of flagged rows
        assertRejected(bad, "details count differs from the flagged rows")
    }

    /// A packed identity holds at most twelve digits; the kind must be known.
    func test_detailBlobIdentityIsChecked() {
        let (one, _) = onePerson(PersonDetails(referredTo: Identity(kind: .personnummer, value: "194911172296")))
        let bytes = image(of: one)
        let number = bytes.count - 9, kind = bytes.count - 10
        XCTAssertEqual(bytes[kind], IdentityKind.personnummer.diskCode | 0x80, "a packed identity")
        var bad = bytes
        bad.replaceSubrange(number..<number + 5, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        assertRejected(bad, "identity number above twelve digits")
        bad = bytes
        bad[kind] = 0x80 | 9
        assertRejected(bad, "identity kind unknown")
    }

    /// An empty optional string may end a blob (a referral's issuer "", found by fuzz-store-image):
    /// its length byte is the blob's last byte, and it loads.
    func test_blobEndingInAnEmptyIssuer_loads() throws {
        let referral = Identity(kind: .reserve, value: "AB12", issuer: "")
        let (one, r) = onePerson(PersonDetails(referredTo: referral))
        let bytes = image(of: one)
        XCTAssertEqual(bytes[bytes.count - 5], 1, "the issuer's length + 1 ends the blob")
        let loaded = try bytes.withUnsafeBytes { raw in
            Result { () throws(StoreImageError) in try PersonStore(image: raw) }
        }.get()
        XCTAssertEqual(loaded.record(for: IdentityKey(oneId)!)?.details, r.details)
    }

    private func image(of store: PersonStore) -> [UInt8] {
        var bytes: [UInt8] = []
        store.writeImage(into: &bytes)
        return bytes
    }
}
