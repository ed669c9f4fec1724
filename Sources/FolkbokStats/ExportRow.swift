import FolkbokModel

/// One row of a detailed (`pseudonymised` or `identified`) export: one lookup event of the
/// customer, `{"time","method","user","purpose","contract","profile","outcome","ageBand","sex","person"}`.
///
/// Guarantees: as for `LookupEvent`, `ageBand` and `sex` are `unknown` unless `outcome` is
/// `full`; its JSON (FolkbokProtocol, `ExportRow.write(into:)`) has the keys in the order above.
public struct ExportRow: Sendable, Hashable {
    /// Microseconds since the epoch (the access-log entry's time).
    public let time: Int64
    public let method: LookupMethod
    public let user: String?
    public let purpose: Purpose
    public let contract: Contract
    public let profile: Profile?
    public let outcome: LookupOutcome
    public let ageBand: AgeBand
    public let sex: StatsSex
    public let person: ExportPerson

    public init(
        time: Int64, method: LookupMethod, user: String?, purpose: Purpose, contract: Contract, profile: Profile?,
        outcome: LookupOutcome, ageBand: AgeBand, sex: StatsSex, person: ExportPerson
    ) {
        self.time = time
        self.method = method
        self.user = user
        self.purpose = purpose
        self.contract = contract
        self.profile = profile
        self.outcome = outcome
        self.ageBand = outcome.shown(ageBand)
        self.sex = outcome.shown(sex)
        self.person = person
    }

    /// The row of a lookup event that happened at `time` (the access-log entry's), about `person`.
    public init(_ event: LookupEvent, time: Int64, person: ExportPerson) {
        self.init(
            time: time, method: event.method, user: event.user, purpose: event.purpose, contract: event.contract,
            profile: event.profile, outcome: event.outcome, ageBand: event.ageBand, sex: event.sex, person: person)
    }
}

/// ISO 8601 UTC times as the access log shows them: `2026-11-23T10:15:30.123456Z`.
package enum ExportTime {
    package static func format(_ micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = Int(micros - seconds * 1_000_000)
        let date = CivilDate(unixSeconds: seconds)
        let second = Int(seconds - Int64(date.daysSinceEpoch) * 86400)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return
            "\(date.iso)T\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2)).\(pad(fraction, 6))Z"
    }
}
