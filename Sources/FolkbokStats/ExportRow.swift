import FolkbokJSON
import FolkbokModel

/// One row of a detailed (`pseudonymised` or `identified`) export: one lookup event of the
/// customer, `{"time","method","user","purpose","contract","profile","outcome","ageBand","sex","person"}`.
///
/// Guarantees: as for `LookupEvent`, `ageBand` and `sex` are `unknown` unless `outcome` is
/// `full`; `write(into:)` emits the keys in the order above.
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
        self.ageBand = outcome == .full ? ageBand : .unknown
        self.sex = outcome == .full ? sex : .unknown
        self.person = person
    }

    /// The row of a lookup event that happened at `time` (the access-log entry's), about `person`.
    public init(_ event: LookupEvent, time: Int64, person: ExportPerson) {
        self.init(time: time, method: event.method, user: event.user, purpose: event.purpose, contract: event.contract,
                  profile: event.profile, outcome: event.outcome, ageBand: event.ageBand, sex: event.sex, person: person)
    }

    /// The row as a JSON object.
    public func write(into w: inout JSONWriter) {
        w.raw("{\"time\":")
        ExportTime.write(time, into: &w)
        w.raw(",\"method\":")
        w.string(method.rawValue)
        w.raw(",\"user\":")
        w.stringOrNull(user)
        w.raw(",\"purpose\":")
        w.string(purpose.rawValue)
        w.raw(",\"contract\":")
        w.string(contract.rawValue)
        w.raw(",\"profile\":")
        w.stringOrNull(profile?.rawValue)
        w.raw(",\"outcome\":")
        w.string(outcome.rawValue)
        w.raw(",\"ageBand\":")
        w.string(ageBand.rawValue)
        w.raw(",\"sex\":")
        w.string(sex.rawValue)
        w.raw(",\"person\":")
        switch person {
        case .identity(let id):
            w.raw("{\"kind\":")
            w.string(id.kind.rawValue)
            w.raw(",\"value\":")
            w.string(id.value)
            if id.kind == .reserve {
                w.raw(",\"issuer\":")
                w.stringOrNull(id.issuer)
            }
            w.raw("}")
        case .pseudonym(let p):
            w.string(p)
        case .none:
            w.null()
        }
        w.raw("}")
    }
}

/// ISO 8601 UTC times as the access log shows them: `2026-11-23T10:15:30.123456Z`.
enum ExportTime {
    /// `format(micros)` as a JSON string, written digit by digit (no intermediate strings:
    /// an export writes one per row).
    static func write(_ micros: Int64, into w: inout JSONWriter) {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = Int(micros - seconds * 1_000_000)
        let date = CivilDate(unixSeconds: seconds)
        let second = Int(seconds - Int64(date.daysSinceEpoch) * 86400)
        func digits(_ v: Int, _ n: Int) {
            var divisor = 1
            for _ in 1..<n { divisor *= 10 }
            var v = v
            for _ in 0..<n {
                w.bytes.append(UInt8(48 + v / divisor % 10))
                v %= divisor
                divisor = max(1, divisor / 10)
            }
        }
        guard (0...9999).contains(date.year) else { return w.string(format(micros)) }
        w.bytes.append(UInt8(ascii: "\""))
        digits(date.year, 4)
        w.bytes.append(UInt8(ascii: "-"))
        digits(date.month, 2)
        w.bytes.append(UInt8(ascii: "-"))
        digits(date.day, 2)
        w.bytes.append(UInt8(ascii: "T"))
        digits(second / 3600, 2)
        w.bytes.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        w.bytes.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        w.bytes.append(UInt8(ascii: "."))
        digits(fraction, 6)
        w.bytes += [UInt8(ascii: "Z"), UInt8(ascii: "\"")]
    }

    static func format(_ micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = Int(micros - seconds * 1_000_000)
        let date = CivilDate(unixSeconds: seconds)
        let second = Int(seconds - Int64(date.daysSinceEpoch) * 86400)
        func pad(_ v: Int, _ n: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, n - s.count)) + s }
        return "\(date.iso)T\(pad(second / 3600, 2)):\(pad(second / 60 % 60, 2)):\(pad(second % 60, 2)).\(pad(fraction, 6))Z"
    }
}
