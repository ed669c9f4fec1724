import FolkbokDemo
import FolkbokIndex
import FolkbokJSON
import FolkbokModel
import XCTest

@testable import FolkbokProtocol

/// The fast path renders `person.get` from the packed row in place; the general path from a
/// `PersonRecord`. Both must give the same bytes for every record, protection, contract,
/// purpose and profile.
final class PackedRenderTests: XCTestCase {
    /// Text that exercises escaping: quotes, backslashes, control bytes, å/ä/ö, emoji.
    static func text(_ rng: inout SplitMix64) -> String? {
        if Int.random(in: 0..<6, using: &rng) == 0 { return nil }
        let pieces = ["Å", "ä", "ö", "\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "😀", "a", "Z", " ", "/", "\u{7F}", ""]
        return (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func date(_ rng: inout SplitMix64) -> CivilDate? {
        Int.random(in: 0..<4, using: &rng) == 0
            ? nil
            : CivilDate(
                year: Int.random(in: 1890...2026, using: &rng), month: Int.random(in: 1...12, using: &rng),
                day: Int.random(in: 1...28, using: &rng))
    }

    static func address(_ rng: inout SplitMix64) -> PostalAddress {
        PostalAddress(careOf: text(&rng), street: text(&rng), postalCode: text(&rng), city: text(&rng))
    }

    static func identity(_ n: Int) -> Identity {
        Identity(kind: .personnummer, value: String(195001011000 + UInt64(n)))
    }

    static func record(_ n: Int, _ rng: inout SplitMix64) -> PersonRecord {
        let codes = [nil, "01", "0180", "12", "1280", "25"]
        let coin = { (rng: inout SplitMix64) in Bool.random(using: &rng) }
        return PersonRecord(
            id: identity(n),
            name: PersonName(given: text(&rng), callName: text(&rng), middle: text(&rng), surname: text(&rng)),
            birthDate: date(&rng), sex: [nil, .female, .male].randomElement(using: &rng)!,
            address: coin(&rng) ? address(&rng) : nil,
            specialAddress: Int.random(in: 0..<5, using: &rng) == 0 ? address(&rng) : nil,
            foreignAddress: Int.random(in: 0..<5, using: &rng) == 0
                ? ForeignAddress(
                    lines: (0..<Int.random(in: 0...3, using: &rng)).map { _ in text(&rng) ?? "" }, country: text(&rng))
                : nil,
            county: codes.randomElement(using: &rng)!, municipality: codes.randomElement(using: &rng)!,
            protection: Protection.allCases.randomElement(using: &rng)!, test: coin(&rng),
            status: PersonStatus(
                state: LifeState.allCases.randomElement(using: &rng)!, civilDate: date(&rng),
                reason: coin(&rng) ? DeregistrationReason.allCases.randomElement(using: &rng)! : nil),
            region: codes.randomElement(using: &rng)!,
            contact: coin(&rng)
                ? ContactDetails(
                    email: text(&rng), phone: text(&rng),
                    consent: Consent(
                        source: text(&rng) ?? "", date: date(&rng) ?? CivilDate(year: 2026, month: 1, day: 2)!),
                    version: UInt64.random(in: 0...1_000_000, using: &rng)) : nil,
            reserveLinks: Int.random(in: 0..<5, using: &rng) == 0
                ? [Identity(kind: .reserve, value: "0000A1234", issuer: nil)] : [],
            details: P4Samples.details(n), history: P4Samples.history(n),
            version: UInt64.random(in: 0...UInt64.max, using: &rng))
    }

    func test_packedAndGeneralRecords_encodeTheSameBytes_forEveryViewProfileAndContactChoice() {
        var rng = SplitMix64(seed: 14)
        var store = PersonStore()
        let records = (0..<600).map { Self.record($0, &rng) }
        for r in records { store.upsert(r, key: IdentityKey(r.id)!) }
        var compared = 0
        for original in records {
            let key = IdentityKey(original.id)!
            let unpacked = store.record(for: key)!
            // The packed row's own sum (the window's bound) against the field-by-field one.
            XCTAssertEqual(store.withPacked(key) { $0!.textBytes }, unpacked.textBytes, "text bytes of \(key.raw)")
            for view in [DisclosureView.full, .limitedSekretess, .limitedSkyddad] {
                for profile in [nil] + Profile.allCases.map(Optional.some) {
                    for showContact in [false, true] {
                        var general = JSONWriter(capacity: 256)
                        RecordEncoder.write(
                            unpacked, view: view, profile: profile, showContact: showContact, into: &general)
                        var packed = JSONWriter(capacity: 256)
                        store.withPacked(key) {
                            RecordEncoder.write(
                                $0!, view: view, profile: profile, showContact: showContact, into: &packed)
                        }
                        XCTAssertEqual(
                            packed.bytes, general.bytes,
                            "record \(key.raw) \(view) \(String(describing: profile)) \(showContact)")
                        var fromOriginal = JSONWriter(capacity: 256)
                        RecordEncoder.write(
                            original, view: view, profile: profile, showContact: showContact, into: &fromOriginal)
                        XCTAssertEqual(fromOriginal.bytes, general.bytes, "the store gives back what it was given")
                        compared += 1
                    }
                }
            }
        }
        XCTAssertEqual(compared, 600 * 3 * 6 * 2)
        XCTAssertTrue(store.withPacked(IdentityKey(Self.identity(10_000))!) { $0 == nil }, "an absent key reads nil")
    }

    /// Through the service: `person.get` alone takes the packed path; the same call inside a
    /// batch renders from a `PersonRecord`. Every customer, purpose, contract, protection and
    /// profile gives the same object either way.
    func test_personGet_packedAndBatchedAnswers_areByteIdentical() async {
        let sessions: [(String, String?, String?)] = [
            ("region-ext", "care", "normal"), ("region-ext", "care", "extended"),
            ("region-ext", "administration", "extended"),
            ("muni", "hr", "normal"), ("muni", "municipal", "normal"), ("private", "care", "normal"),
        ]
        for (customer, purpose, contract) in sessions {
            let h = await ServiceHarness()
            _ = await h.open(customer, purpose: purpose, contract: contract)
            for person in [
                ServiceHarness.plain, ServiceHarness.sekretess, ServiceHarness.skyddad, "191212121213", "201212121212",
            ] {
                for profile in [
                    "", ",\"profile\":\"P1\"", ",\"profile\":\"P2\"", ",\"profile\":\"P3\"", ",\"profile\":\"P4\"",
                    ",\"profile\":\"P5\"",
                ] {
                    let call =
                        "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"person.get\",\"params\":{\"id\":\"\(person)\"\(profile)}}"
                    let single = await h.send(call)
                    let batched = await h.send("[" + call + "]")
                    XCTAssertNotNil(single)
                    XCTAssertEqual(
                        single.map { "[" + $0 + "]" }, batched,
                        "\(customer) \(purpose ?? "-") \(contract ?? "-") \(person) \(profile)")
                }
            }
        }
    }
}
