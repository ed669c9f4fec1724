import FolkbokModel
import FolkbokStorage
import XCTest

@testable import FolkbokStats

/// The durable form round-trips and every damaged or ill-formed encoding is refused with the
/// reason, never decoded into counts.
final class StatsCodecTests: XCTestCase {
    private func small() -> StatsCounters {
        var c = StatsCounters()
        c.record(lookup(), count: 3)
        c.record(lookup(region: nil, user: nil, profile: .P2, outcome: .forbidden, at: hour("2026-11-24", 0)))
        c.record(SessionEvent(customer: "SE2321000016-0001", user: "anna", hour: hour("2026-11-23", 10), seconds: 12.5))
        return c
    }

    func test_roundTrip_countersGiveBackEveryCount() throws {
        var factory = EventFactory(seed: 17)
        var c = StatsCounters()
        for i in 0..<3000 {
            c.record(factory.lookupEvent())
            if i % 10 == 0 { c.record(factory.sessionEvent()) }
            if i == 1500 { _ = c.drainDelta() }
        }
        let decoded = try StatsCounters(decoding: c.encoded())
        XCTAssertEqual(decoded.lookupCounts(), c.lookupCounts())
        XCTAssertEqual(decoded.sessionCounts(), c.sessionCounts())
        XCTAssertTrue(decoded.isDrained)
        XCTAssertEqual(try StatsCounters(decoding: decoded.encoded()).lookupCounts(), c.lookupCounts())
    }

    func test_roundTrip_emptyCounters() throws {
        let decoded = try StatsCounters(decoding: StatsCounters().encoded())
        XCTAssertTrue(decoded.isEmpty)
    }

    func test_roundTrip_nonASCIIStrings() throws {
        var c = StatsCounters()
        c.record(lookup(customer: "kund-å", user: "Örjan 🙂"))
        XCTAssertEqual(try StatsCounters(decoding: c.encoded()).lookupCounts(), c.lookupCounts())
    }

    func test_everySingleByteChange_isRejected() {
        for bytes in [
            small().encoded(),
            {
                var c = small()
                return c.drainDelta().encoded()
            }(),
        ] {
            let isDelta = bytes[4] == UInt8(ascii: "D")
            for i in bytes.indices {
                for flip: UInt8 in [0x01, 0x10, 0x80, 0xFF] {
                    var damaged = bytes
                    damaged[i] ^= flip
                    if isDelta {
                        XCTAssertThrowsError(try StatsDelta(decoding: damaged), "byte \(i) ^ \(flip)")
                    } else {
                        XCTAssertThrowsError(try StatsCounters(decoding: damaged), "byte \(i) ^ \(flip)")
                    }
                }
            }
        }
    }

    func test_everyTruncation_isRejected() {
        let bytes = small().encoded()
        for n in 0..<bytes.count {
            XCTAssertThrowsError(try StatsCounters(decoding: Array(bytes.prefix(n))), "\(n) bytes") { error in
                let problem = (error as? CodecError)?.problem
                XCTAssertTrue(
                    problem == .truncated || problem == .badMagic && n == 0, "\(n): \(String(describing: problem))")
            }
        }
        XCTAssertEqual(problem { try StatsCounters(decoding: bytes + [0]) }, .trailingBytes)
        var withDelta = small()
        let delta = withDelta.drainDelta().encoded()
        for n in 0..<delta.count {
            XCTAssertThrowsError(try StatsDelta(decoding: Array(delta.prefix(n))), "delta, \(n) bytes")
        }
    }

    func test_headerProblems_sayWhich() {
        var bytes = small().encoded()
        XCTAssertEqual(problem { try StatsDelta(decoding: bytes) }, .badMagic)
        bytes[8] = 3
        XCTAssertEqual(problem { try StatsCounters(decoding: bytes) }, .unsupportedVersion)
        var crc = small().encoded()
        crc[crc.count - 1] ^= 1
        XCTAssertEqual(problem { try StatsCounters(decoding: crc) }, .checksumMismatch)
        var body = small().encoded()
        body[StatsCodec.headerSize + 2] ^= 1
        XCTAssertEqual(problem { try StatsCounters(decoding: body) }, .checksumMismatch)
        XCTAssertTrue(
            String(describing: CodecError.statistics(.checksumMismatch, field: "crc32c", offset: 9)).contains(
                "checksum"))
    }

    // MARK: well-sealed but ill-formed bodies

    private func varint(_ v: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        var v = v
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    private func zigzag(_ v: Int64) -> [UInt8] { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    private let hour480k: [UInt8] = [0x80, 0xCC, 0x3A]

    /// Strings "c", "u"; one caller (customer "c", user "u", region, care, normal); one lookup
    /// cell (context 0 = person.get without profile, variant 3 = full, 18-39, F, count 3); one
    /// session cell. Each part can be replaced.
    private func body(
        strings: [UInt8] = [2, 1, 0x63, 1, 0x75],
        callers: [UInt8] = [1, 1, 0, 2, 1, 1, 1],
        lookups: [UInt8]? = nil,
        sessions: [UInt8]? = nil,
        extra: [UInt8] = []
    ) -> [UInt8] {
        let lookups = lookups ?? [1] + hour480k + [0, 3, 3]
        let sessions = sessions ?? [1] + hour480k + [1, 2, 1, 7]
        return StatsCodec.seal(strings + callers + lookups + sessions + extra, kind: .counters)
    }

    func test_wellFormedHandMadeBody_decodes() throws {
        XCTAssertEqual(zigzag(480_000), hour480k)
        let c = try StatsCounters(decoding: body())
        XCTAssertEqual(
            c.lookupCounts(),
            [
                lookup(
                    .personGet, customer: "c", region: nil, user: "u", outcome: .full, ageBand: .young,
                    sex: .female, at: StatsHour(index: 480_000)): 3
            ])
        XCTAssertEqual(
            c.sessionCounts(),
            [
                SessionCellKey(customer: "c", user: "u", hour: StatsHour(index: 480_000)): SessionTotals(
                    count: 1, micros: 7)
            ])
        let twice = try StatsCounters(decoding: body(lookups: [2] + hour480k + [0, 3, 3] + [0, 0, 3, 4]))
        XCTAssertEqual(twice.lookupTotal, 7, "a cell listed twice adds up")
    }

    func test_idsAndCodesOutOfRange_areRejected() {
        let cases: [(String, [UInt8], CodecError.Problem)] = [
            ("caller customer past the strings", body(callers: [1, 3, 0, 2, 1, 1, 1]), .invalidValue),
            ("caller customer nil", body(callers: [1, 0, 0, 2, 1, 1, 1]), .invalidValue),
            ("caller region past the strings", body(callers: [1, 1, 3, 2, 1, 1, 1]), .invalidValue),
            ("caller user past the strings", body(callers: [1, 1, 0, 9, 1, 1, 1]), .invalidValue),
            ("unknown category", body(callers: [1, 1, 0, 2, 9, 1, 1]), .invalidValue),
            ("unknown purpose", body(callers: [1, 1, 0, 2, 1, 0, 1]), .invalidValue),
            ("unknown contract", body(callers: [1, 1, 0, 2, 1, 1, 3]), .invalidValue),
            ("lookup context past the callers", body(lookups: [1] + hour480k + [40, 3, 3]), .invalidValue),
            ("lookup profile code 6", body(lookups: [1] + hour480k + [6, 3, 3]), .invalidValue),
            ("lookup profile code 7", body(lookups: [1] + hour480k + [15, 3, 3]), .invalidValue),
            ("lookup variant past 71", body(lookups: [1] + hour480k + [0, 72, 3]), .invalidValue),
            ("age band shown for a limited answer", body(lookups: [1] + hour480k + [0, 21, 3]), .invalidValue),
            ("lookup count 0", body(lookups: [1] + hour480k + [0, 3, 0]), .invalidValue),
            ("hour before the epoch", body(lookups: [1] + zigzag(-1) + [0, 3, 3]), .invalidValue),
            ("hour past the last", body(lookups: [1] + zigzag(1 << 24) + [0, 3, 3]), .invalidValue),
            ("hour difference overflowing", body(lookups: [1] + varint(.max) + [0, 3, 3]), .invalidValue),
            (
                "varint longer than 64 bits",
                body(lookups: [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 3, 3]), .invalidValue
            ),
            ("session customer past the strings", body(sessions: [1, 0, 3, 2, 1, 7]), .invalidValue),
            ("session customer nil", body(sessions: [1, 0, 0, 2, 1, 7]), .invalidValue),
            ("session user past the strings", body(sessions: [1, 0, 1, 3, 1, 7]), .invalidValue),
            ("session count 0", body(sessions: [1, 0, 1, 2, 0, 7]), .invalidValue),
            ("duplicate string", body(strings: [2, 1, 0x63, 1, 0x63]), .duplicate),
            ("duplicate caller", body(callers: [2, 1, 0, 2, 1, 1, 1, 1, 0, 2, 1, 1, 1]), .duplicate),
            ("string not UTF-8", body(strings: [2, 1, 0xC3, 1, 0x75]), .invalidUTF8),
            ("bytes after the sessions", body(extra: [0]), .trailingBytes),
            ("a count larger than the bytes", body(strings: [0xFF, 0xFF, 0x03]), .truncated),
            ("a lookup cut short", body(lookups: [1] + hour480k + [0, 3], sessions: []), .truncated),
        ]
        for (name, bytes, expected) in cases {
            XCTAssertEqual(problem { try StatsCounters(decoding: bytes) }, expected, name)
        }
    }

    private func problem(_ body: () throws -> Any) -> CodecError.Problem? {
        do {
            _ = try body()
            return nil
        } catch let error as CodecError {
            return error.problem
        } catch {
            return nil
        }
    }
}
