import FolkbokModel
import XCTest

@testable import FolkbokStats

typealias SeededGenerator = SplitMix64

func date(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

func hour(_ iso: String, _ h: Int) -> StatsHour { StatsHour(date: date(iso), hour: h) }

/// A lookup event with defaults for everything a test does not care about.
func lookup(
    _ method: LookupMethod = .personGet, customer: String = "SE2321000016-0001", category: CustomerCategory = .region,
    region: String? = "01", user: String? = "anna", purpose: Purpose = .care, contract: Contract = .normal,
    profile: Profile? = nil, outcome: LookupOutcome = .full, ageBand: AgeBand = .young, sex: StatsSex = .female,
    at h: StatsHour = hour("2026-11-23", 10)
) -> LookupEvent {
    LookupEvent(
        method: method, customer: customer, category: category, region: region, user: user, purpose: purpose,
        contract: contract, profile: profile, outcome: outcome, ageBand: ageBand, sex: sex, hour: h)
}

/// Random events over a few customers, users and days, for model-based tests.
struct EventFactory {
    var rng: SeededGenerator
    let days: [CivilDate]

    static let customers: [(id: String, category: CustomerCategory, region: String?)] = [
        ("SE2321000016-0001", .region, "01"), ("SE2321000032-0003", .region, "03"),
        ("SE2120000001-0180", .municipality, "01"), ("SE5561234567-0001", .private, nil),
    ]
    static let users: [String?] = [nil, "anna", "Bo", "örjan", "Åsa", "bo"]

    init(seed: UInt64, from: CivilDate = date("2026-01-25"), days: Int = 45) {
        rng = SeededGenerator(seed: seed)
        self.days = (0..<days).map { CivilDate(daysSinceEpoch: from.daysSinceEpoch + $0) }
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }

    mutating func lookupEvent() -> LookupEvent {
        let c = pick(Self.customers)
        return LookupEvent(
            method: pick(LookupMethod.allCases), customer: c.id, category: c.category, region: c.region,
            user: pick(Self.users),
            purpose: pick([Purpose.care, .dental, .hr]), contract: pick(Contract.allCases),
            profile: pick([nil, Profile.P1, .P2, .P3]),
            outcome: pick(LookupOutcome.allCases), ageBand: pick(AgeBand.allCases), sex: pick(StatsSex.allCases),
            hour: StatsHour(date: pick(days), hour: Int(rng.next() % 24)))
    }

    mutating func sessionEvent() -> SessionEvent {
        SessionEvent(
            customer: pick(Self.customers).id, user: pick(Self.users),
            hour: StatsHour(date: pick(days), hour: Int(rng.next() % 24)),
            seconds: Double(rng.next() % 10_000_000) / 1000)
    }
}

/// The rows docs/PROTOCOL.md describes, computed the obvious way from the raw events.
func naiveRows(_ events: [LookupEvent], _ query: StatsQuery, customer: String?) -> [StatsRow] {
    var counts: [[String?]: UInt64] = [:]
    for e in events {
        guard customer == nil || e.customer == customer, query.from <= e.hour.date, e.hour.date <= query.to else {
            continue
        }
        let label: String =
            switch query.granularity {
            case .hour: e.hour.date.iso + "T" + (e.hour.hourOfDay < 10 ? "0" : "") + String(e.hour.hourOfDay)
            case .day: e.hour.date.iso
            case .month: String(e.hour.date.iso.prefix(7))
            case .year: String(e.hour.date.iso.prefix(4))
            }
        let values: [String?] = query.by.map { d in
            switch d {
            case .method: e.method.rawValue
            case .category: e.category.rawValue
            case .region: e.region
            case .user: e.user
            case .purpose: e.purpose.rawValue
            case .contract: e.contract.rawValue
            case .profile: e.profile?.rawValue
            case .outcome: e.outcome.rawValue
            case .ageBand: e.ageBand.rawValue
            case .sex: e.sex.rawValue
            }
        }
        counts[[label] + values, default: 0] += 1
    }
    func before(_ a: String?, _ b: String?) -> Bool? {
        switch (a, b) {
        case (nil, nil): nil
        case (nil, _): true
        case (_, nil): false
        case (let x?, let y?): x == y ? nil : Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        }
    }
    return counts.sorted { a, b in
        for (x, y) in zip(a.key, b.key) { if let r = before(x, y) { return r } }
        return false
    }.map { StatsRow(period: $0.key[0]!, values: Array($0.key.dropFirst()), lookups: $0.value) }
}

extension StatsCounters {
    /// Records every event.
    mutating func record(_ events: [LookupEvent]) {
        for e in events { record(e) }
    }
}

/// The JSON text of a rendered answer.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
