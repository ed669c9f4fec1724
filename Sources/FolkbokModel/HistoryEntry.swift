/// Which part of a record a P5 history entry remembers. Raw values are the JSON `field` names;
/// `code` is frozen (stored on disk).
public enum HistoryField: String, Sendable, Hashable, CaseIterable {
    case name, address, specialAddress, foreignAddress, municipality

    public var code: UInt8 {
        switch self {
        case .name: 1
        case .address: 2
        case .specialAddress: 3
        case .foreignAddress: 4
        case .municipality: 5
        }
    }

    public init?(code: UInt8) {
        guard let f = HistoryField.allCases.first(where: { $0.code == code }) else { return nil }
        self = f
    }
}

/// An earlier value of one history field, as the record wrote that part.
public enum HistoryValue: Sendable, Hashable {
    case name(PersonName)
    case address(PostalAddress)
    case specialAddress(PostalAddress)
    case foreignAddress(ForeignAddress)
    /// A four-digit kommunkod.
    case municipality(String)

    public var field: HistoryField {
        switch self {
        case .name: .name
        case .address: .address
        case .specialAddress: .specialAddress
        case .foreignAddress: .foreignAddress
        case .municipality: .municipality
        }
    }
}

/// One entry of a person's P5 history: a value the person's record held until folkbok replaced
/// it with a different one on `until` (the UTC date of the change).
///
/// Guarantees: written only by folkbok (never read from an import); a record's `history` is
/// newest first.
public struct HistoryEntry: Sendable, Hashable {
    public var value: HistoryValue
    public var until: CivilDate

    public init(value: HistoryValue, until: CivilDate) {
        self.value = value
        self.until = until
    }

    public var field: HistoryField { value.field }
}
