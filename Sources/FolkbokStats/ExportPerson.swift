import FolkbokModel

/// Who a detailed export row is about.
public enum ExportPerson: Sendable, Hashable {
    /// `identified`: the identity answered, or the one asked when none was answered.
    case identity(Identity)
    /// `pseudonymised`: 16 lowercase hex digits from `Pseudonymiser`.
    case pseudonym(String)
    /// Neither identity is known.
    case none

    /// The `person` of a row of `kind` (a detailed kind) for an access-log entry that asked
    /// about `asked` and answered `answered`.
    public static func of(
        kind: StatsExportKind, answered: Identity?, asked: Identity?, pseudonymiser: Pseudonymiser
    ) -> ExportPerson {
        guard let identity = answered ?? asked else { return .none }
        switch kind {
        case .identified: return .identity(identity)
        case .pseudonymised, .aggregated: return .pseudonym(pseudonymiser.pseudonym(of: identity))
        }
    }
}
