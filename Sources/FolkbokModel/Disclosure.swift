/// How much of a record a caller may see: docs/PROTOCOL.md's disclosure rule.
public enum DisclosureView: Sendable, Equatable {
    /// Every key the profile asks for.
    case full
    /// `id`, `name.given`, `name.surname`, `county`, `sex`, `protection` (sekretess under a normal contract).
    case limitedSekretess
    /// `id`, `name.given`, `name.surname`, `protection` (skyddad, whatever the contract).
    case limitedSkyddad

    public var isLimited: Bool { self != .full }

    /// The disclosure rule table.
    public static func of(_ protection: Protection, contract: Contract) -> DisclosureView {
        switch (protection, contract) {
        case (.none, _), (.sekretess, .extended): .full
        case (.sekretess, .normal): .limitedSekretess
        case (.skyddad, _): .limitedSkyddad
        }
    }
}

/// Data-minimisation profiles: how much of a full record is sent. P4 is P3 plus the P4
/// details (civil status, citizenships, birth place, immigration date, relations, referredTo),
/// P5 is P4 plus the history; both are sent only when asked for, and only to a customer whose
/// config lists them (`Customer.profiles`).
public enum Profile: String, Sendable, Codable, CaseIterable {
    case P1, P2, P3, P4, P5

    /// Whether the profile (nil = the most the session may see) includes address-level data.
    public static func includesAddress(_ p: Profile?) -> Bool { p != .P1 }
    /// Whether the profile includes contact details.
    public static func includesContact(_ p: Profile?) -> Bool { p != .P1 && p != .P2 }
    /// Whether the profile includes the P4 details (never without asking for P4 or P5).
    public static func includesDetails(_ p: Profile?) -> Bool { p == .P4 || p == .P5 }
    /// Whether the profile includes the P5 history.
    public static func includesHistory(_ p: Profile?) -> Bool { p == .P5 }
    /// Whether a customer needs the profile listed in its config to ask for it.
    public var needsGrant: Bool { self == .P4 || self == .P5 }
}
