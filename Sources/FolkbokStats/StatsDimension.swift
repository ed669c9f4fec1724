/// A dimension rows can be grouped by (`by`). The raw value is the wire name.
public enum StatsDimension: String, Sendable, Hashable, CaseIterable {
    case method, category, region, user, purpose, contract, profile, outcome, ageBand, sex

    /// The dimensions `stats.open` may group by: the public ones, which name no customer or staff.
    public static let open: Set<StatsDimension> = [.method, .category, .region, .outcome, .ageBand, .sex]
}

/// The statistics method whose params are parsed; each allows different params.
public enum StatsMethod: String, Sendable, Hashable, CaseIterable {
    case open = "stats.open"
    case get = "stats.get"
    case export = "stats.export"

    /// The param names the method takes (docs/PROTOCOL.md); any other is -32602.
    public var params: [String] {
        switch self {
        case .open: ["from", "to", "granularity", "by", "format"]
        case .get: ["from", "to", "granularity", "by", "customer", "sessions"]
        case .export: ["kind", "from", "to", "by", "granularity"]
        }
    }

    /// Whether rows may be grouped by `d`.
    public func allows(_ d: StatsDimension) -> Bool { self != .open || StatsDimension.open.contains(d) }

    /// Whether `granularity` may be `hour` (public statistics are at most daily).
    public var allowsHourly: Bool { self != .open }
}

/// The period rows are counted in (UTC). The raw value is the wire name.
public enum StatsGranularity: String, Sendable, Hashable, CaseIterable {
    case hour, day, month, year
}

/// The shape of a `stats.open` answer.
public enum StatsFormat: String, Sendable, Hashable, CaseIterable {
    case json, csv
}

/// What `stats.export` materialises. The raw value is the wire name.
public enum StatsExportKind: String, Sendable, Hashable, CaseIterable {
    case aggregated, pseudonymised, identified
}
