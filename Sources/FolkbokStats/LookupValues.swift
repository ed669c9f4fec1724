import FolkbokModel

/// The person-data methods whose access-log entries are lookup events (docs/PROTOCOL.md, "Usage
/// statistics"). The raw value is the method's wire name.
public enum LookupMethod: String, Sendable, Hashable, CaseIterable {
    case personGet = "person.get"
    case personGetMany = "person.getMany"
    case personSearch = "person.search"
    case extractCreate = "extract.create"
    case reserveGet = "reserve.get"
}

/// What a lookup showed, as the access-log entry says. The raw value is the wire name.
public enum LookupOutcome: String, Sendable, Hashable, CaseIterable {
    case full
    case limited
    case notFound = "not_found"
    case forbidden
}

/// The sex dimension: the answered person's sex, or `unknown` when the outcome is not `full`
/// or the record has none. The raw value is the wire name.
public enum StatsSex: String, Sendable, Hashable, CaseIterable {
    case female = "F"
    case male = "M"
    case unknown

    /// The register's sex, `unknown` for none.
    public init(_ sex: Sex?) {
        switch sex {
        case .female: self = .female
        case .male: self = .male
        case nil: self = .unknown
        }
    }
}
