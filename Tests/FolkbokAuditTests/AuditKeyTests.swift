import FolkbokModel
import XCTest

@testable import FolkbokAudit

/// Index keys are stored in index files, so their values are frozen: the keys computed now
/// must equal the FNV-1a 64 of the byte strings the format names (a model written the plain
/// way here), and a few known values.
final class AuditKeyTests: XCTestCase {
    private func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    func test_personAndCustomerKeys_equalTheFrozenByteStrings() {
        let identities = [
            Identity(kind: .personnummer, value: "191212121212"),
            Identity(kind: .samordningsnummer, value: "197010632391"),
            Identity(kind: .reserve, value: "0000A1234", issuer: nil),
            Identity(kind: .reserve, value: "R-1", issuer: "SE2321000016-0001"),
            Identity(kind: .reserve, value: "åäö", issuer: ""),
        ]
        for id in identities {
            let model = fnv(
                [UInt8(ascii: "P"), id.kind.diskCode] + Array(id.value.utf8) + [0] + Array((id.issuer ?? "").utf8) + [
                    id.issuer == nil ? 0 : 1
                ])
            XCTAssertEqual(AuditKey.person(id), model, "\(id.kind) \(id.value)")
        }
        for name in ["", "SE2321000016-0001", "operator", "Region Skåne"] {
            XCTAssertEqual(AuditKey.customer(name), fnv([UInt8(ascii: "C")] + Array(name.utf8)), name)
        }
        XCTAssertEqual(AuditKey.customer(""), fnv([0x43]))
    }
}
