import FolkbokModel

/// The age-band dimension of a lookup event. The raw value is the wire name.
///
/// Guarantees: `of(birthDate:on:)` counts whole years on the given date; a birthday is reached
/// when the date's (month, day) is at or after the birth date's, so someone born on 29 February
/// turns a year older on 1 March in common years (docs/PROTOCOL.md is silent on leap days; this is
/// what plain date comparison gives).
public enum AgeBand: String, Sendable, Hashable, CaseIterable {
    case child = "0-17"
    case young = "18-39"
    case middle = "40-64"
    case senior = "65-79"
    case old = "80+"
    case unknown

    /// The band of a person born on `birthDate`, on `date` (the event's UTC date); `unknown`
    /// without a birth date or when the birth date is after `date`.
    public static func of(birthDate: CivilDate?, on date: CivilDate) -> AgeBand {
        guard let birth = birthDate, birth <= date else { return .unknown }
        let hadBirthday = (date.month, date.day) >= (birth.month, birth.day)
        let age = date.year - birth.year - (hadBirthday ? 0 : 1)
        switch age {
        case ..<18: return .child
        case 18..<40: return .young
        case 40..<65: return .middle
        case 65..<80: return .senior
        default: return .old
        }
    }
}
