import FolkbokModel
import XCTest

@testable import FolkbokIndex

final class PersonStoreImageTests: XCTestCase {
    private func image(_ store: PersonStore) -> [UInt8] {
        var bytes: [UInt8] = []
        store.writeImage(into: &bytes)
        return bytes
    }

    private func load(_ bytes: [UInt8]) throws(StoreImageError) -> PersonStore {
        try bytes.withUnsafeBytes { raw in Result { () throws(StoreImageError) in try PersonStore(image: raw) } }.get()
    }

    private func assertSameRecords(
        _ loaded: PersonStore, _ model: [PersonRecord], file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(loaded.count, model.count, file: file, line: line)
        for r in model { XCTAssertEqual(loaded.record(for: IdentityKey(r.id)!), r, file: file, line: line) }
    }

    func test_roundTrip_everyFieldKind_recordsRowOrderAndBytesIdentical() throws {
        let (store, model) = StoreSamples.store(5_000)
        XCTAssertEqual(store.count, model.count)
        let bytes = image(store)
        XCTAssertEqual(bytes.count, store.imageByteCount)
        let loaded = try load(bytes)
        assertSameRecords(loaded, model)
        XCTAssertEqual(loaded.allKeys, store.allKeys, "row order is kept")
        XCTAssertEqual(Set(loaded.keys(inRegion: "14").map(\.raw)), Set(store.keys(inRegion: "14").map(\.raw)))
        XCTAssertEqual(image(loaded), bytes, "a loaded store writes the same image")
    }

    /// Snapshot version 3's P4 entries and version 4's blobs hold the same details: a store
    /// loaded from either answers the same records and writes the same (version 4) image.
    func test_versionThreeEntries_andVersionFourBlobs_loadTheSameStore() throws {
        let (store, model) = StoreSamples.store(2_000)
        var entries: [UInt8] = []
        store.writeImage(into: &entries, details: .entries)
        XCTAssertEqual(entries.count, store.imageByteCount(details: .entries))
        let fromEntries = try entries.withUnsafeBytes { raw in
            Result { () throws(StoreImageError) in try PersonStore(image: raw, details: .entries) }
        }.get()
        assertSameRecords(fromEntries, model)
        XCTAssertEqual(image(fromEntries), image(store))
        XCTAssertLessThan(image(store).count, entries.count, "blobs are smaller than entries")
    }

    func test_loadedStore_keepsWorking_internsAndUpdates() throws {
        let (store, model) = StoreSamples.store(500)
        var loaded = try load(image(store))
        var changed = model[0]
        changed.name.given = "Förnamn1"
        changed.address = PostalAddress(street: "Helt ny gata 1", city: "Göteborg")
        loaded.upsert(changed, key: IdentityKey(changed.id)!)
        XCTAssertEqual(loaded.record(for: IdentityKey(changed.id)!), changed)
        XCTAssertEqual(
            loaded.strings.id(of: "Förnamn1"), store.strings.id(of: "Förnamn1"),
            "an existing string is found, not added")
        XCTAssertTrue(loaded.remove(IdentityKey(model[1].id)!))
        assertSameRecords(loaded, [changed] + model.dropFirst(2))
    }

    func test_emptyStore_roundTrips() throws {
        let bytes = image(PersonStore())
        XCTAssertEqual(try load(bytes).count, 0)
    }

    /// Without the snapshot's checksums a flip may still spell a valid store; then that store
    /// must be fully valid: every record materialises and it writes back exactly the same bytes.
    func test_seededByteFlips_throwOrLoadACanonicalStore_neverTrap() throws {
        let (store, _) = StoreSamples.store(300)
        let original = image(store)
        var rng = SeededGenerator(seed: 99)
        var rejected = 0
        for _ in 0..<400 {
            var bytes = original
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            guard let loaded = try? load(bytes) else {
                rejected += 1
                continue
            }
            XCTAssertEqual(image(loaded), bytes, "flip at \(at) accepted but not canonical")
            for key in loaded.allKeys { _ = loaded.record(for: key) }
        }
        XCTAssertGreaterThan(rejected, 50)
    }

    func test_everyTruncation_throws() {
        let (store, _) = StoreSamples.store(40)
        let bytes = image(store)
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try load(Array(bytes[..<length])), "length \(length)")
        }
        XCTAssertThrowsError(try load(bytes + [0]), "trailing byte")
    }
}
