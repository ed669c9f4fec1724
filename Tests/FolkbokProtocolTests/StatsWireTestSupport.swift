import FolkbokModel
import FolkbokStats

// Helpers of the statistics' wire tests (params, answers, export rows), as FolkbokStatsTests
// has them.

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

/// The JSON text of a rendered answer.
func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
