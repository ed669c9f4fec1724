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

/// Data-minimisation profiles: how much of a full record is sent.
public enum Profile: String, Sendable, CaseIterable {
    case P1, P2, P3

    /// Whether the profile (nil = the most the session may see) includes address-level data.
    public static func includesAddress(_ p: Profile?) -> Bool { p != .P1 }
    /// Whether the profile includes contact details.
    public static func includesContact(_ p: Profile?) -> Bool { p == nil || p == .P3 }
}
