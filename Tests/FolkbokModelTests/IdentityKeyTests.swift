import FolkbokModel
import XCTest

final class IdentityKeyTests: XCTestCase {
    private func randomPersonalNumbers(count: Int) -> [Identity] {
        var rng = SeededGenerator(seed: 42)
        return (0..<count).map { _ in
            let year = Int.random(in: 1890...2026, using: &rng)
            let month = Int.random(in: 1...12, using: &rng)
            let day = Int.random(in: 1...28, using: &rng) + (Bool.random(using: &rng) ? 60 : 0)
            let serial = Int.random(in: 1...999, using: &rng)
            let body = String(year) + pad(month) + pad(day) + pad(serial, 3)
            return Identity(kind: day >= 60 ? .samordningsnummer : .personnummer, value: withCheckDigit(body))
        }
    }

    private func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return String(repeating: "0", count: width - s.count) + s
    }

    private func issuedReserves(count: Int) -> [Identity] {
        let date = CivilDate(year: 1979, month: 8, day: 14)!
        return (0..<UInt64(count)).flatMap { s in
            [
                NationalReserveIssuer.make(birthDate: date, sex: .male, sequence: s * 7)!,
                NationalReserveIssuer.make(birthDate: nil, sex: nil, sequence: s * 500_000)!,
            ]
        }
    }

    func test_roundTrip_personalNumbers_exact() {
        let identities =
            randomPersonalNumbers(count: 5000)
            + testPersonnummerFixture.map { Identity(kind: .personnummer, value: $0) }
        for identity in identities {
            let key = IdentityKey(identity)
            XCTAssertEqual(key?.identity, identity, identity.value)
            XCTAssertEqual(key.map { IdentityKey(raw: $0.raw) }, key)
            XCTAssertEqual(key?.isLocalReserve, false)
        }
    }

    func test_roundTrip_nationalReserves_exact() {
        let identities =
            issuedReserves(count: 2500)
            + LuhnTests.protocolVectors.map {
                Identity(kind: .reserve, value: $0, issuer: "national")
            }
        for identity in identities {
            XCTAssertEqual(IdentityKey(identity)?.identity, identity, identity.value)
        }
    }

    func test_distinctIdentities_getDistinctKeys() {
        let identities = Set(randomPersonalNumbers(count: 3000) + issuedReserves(count: 1500))
        XCTAssertEqual(Set(identities.compactMap(IdentityKey.init)).count, identities.count)
    }

    func test_ordering_personalNumbersSortNumericallyThenReservesThenLocal() {
        let personal = randomPersonalNumbers(count: 3000)
        let reserves = issuedReserves(count: 1000)
        let byKey = (reserves + personal).compactMap(IdentityKey.init).sorted().map { $0.identity!.value }
        let expected = personal.map(\.value).sorted() + reserves.map(\.value).sorted()
        XCTAssertEqual(byKey, expected)
        XCTAssertLessThan(IdentityKey(reserves[0])!, IdentityKey.localReserve(serial: 0))
    }

    func test_localReserveKey_keepsSerialAndDecodesToNoIdentity() {
        for serial: UInt32 in [0, 1, 77, .max] {
            let key = IdentityKey.localReserve(serial: serial)
            XCTAssertTrue(key.isLocalReserve)
            XCTAssertNil(key.identity)
            XCTAssertEqual(key.localReserveSerial, serial)
        }
        XCTAssertLessThan(IdentityKey.localReserve(serial: 5), IdentityKey.localReserve(serial: 6))
    }

    func test_init_localReserveOrNonCanonicalValue_isNil() {
        XCTAssertNil(IdentityKey(Identity(kind: .reserve, value: "R1", issuer: "13")))
        XCTAssertNil(IdentityKey(Identity(kind: .reserve, value: "22790814AA01", issuer: "13")))
        XCTAssertNil(IdentityKey(Identity(kind: .personnummer, value: "121212-1212")))
        XCTAssertNil(IdentityKey(Identity(kind: .personnummer, value: "201212721212")))
        XCTAssertNil(IdentityKey(Identity(kind: .samordningsnummer, value: "201212121212")))
        XCTAssertNil(IdentityKey(Identity(kind: .reserve, value: "22790814aa01", issuer: "national")))
    }

    func test_identity_rawValuesNoInitCouldProduce_decodeToNil() {
        XCTAssertNil(IdentityKey(raw: 1_000_000_000_000).identity)
        XCTAssertNil(IdentityKey(raw: 3 << 62).identity)
        XCTAssertNil(IdentityKey(raw: 1 << 62 | 31 << 15).identity)
        XCTAssertNil(IdentityKey(raw: 1 << 62 | 12).identity)
        XCTAssertNil(IdentityKey(raw: 0).localReserveSerial)
    }
}
