/// The four kinds of caller.
public enum CustomerCategory: String, Sendable, Codable, CaseIterable {
    case region, municipality, `private`, `operator`
}

/// Why a caller asks. Contact details are disclosed only for the care purposes.
public enum Purpose: String, Sendable, Codable, CaseIterable {
    case care, infection_control, dental, municipal, hr, administration

    /// Purposes for which digital contact details may be read and written.
    public var allowsContactDetails: Bool { self == .care || self == .infection_control || self == .dental }
}

/// Tjänstekontrakt: normal, or extended (utvidgat), which sees sekretess-marked persons in full.
public enum Contract: String, Sendable, Codable, CaseIterable {
    case normal, extended
}

/// A customer from the customers file, as docs/PROTOCOL.md's "Sessions and customers" describes it.
public struct Customer: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var category: CustomerCategory
    public var region: String?
    public var municipality: String?
    public var contracts: [Contract]
    public var purposes: [Purpose]
    public var dataProcessingAgreement: Bool
    public var publiclyContracted: Bool
    public var bilateralRegions: [String]
    public var admin: Bool
    public var statisticsExports: [String]
    public var uids: [UInt32]
    /// The profiles beyond P3 (`P4`, `P5`) this customer may ask for; none by default.
    public var profiles: [Profile]

    public init(
        id: String, name: String, category: CustomerCategory, region: String? = nil, municipality: String? = nil,
        contracts: [Contract] = [], purposes: [Purpose] = [], dataProcessingAgreement: Bool = false,
        publiclyContracted: Bool = false, bilateralRegions: [String] = [], admin: Bool = false,
        statisticsExports: [String] = ["aggregated", "pseudonymised"], uids: [UInt32] = [], profiles: [Profile] = []
    ) {
        self.id = id
        self.name = name
        self.category = category
        self.region = region
        self.municipality = municipality
        self.contracts = contracts
        self.purposes = purposes
        self.dataProcessingAgreement = dataProcessingAgreement
        self.publiclyContracted = publiclyContracted
        self.bilateralRegions = bilateralRegions
        self.admin = admin
        self.statisticsExports = statisticsExports
        self.uids = uids
        self.profiles = profiles
    }

    enum CodingKeys: String, CodingKey {
        case id, name, category, region, municipality, contracts, purposes, dataProcessingAgreement,
            publiclyContracted, bilateralRegions, admin, statisticsExports, uids, profiles
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        category = try c.decode(CustomerCategory.self, forKey: .category)
        region = try c.decodeIfPresent(String.self, forKey: .region)
        municipality = try c.decodeIfPresent(String.self, forKey: .municipality)
        contracts = try c.decodeIfPresent([Contract].self, forKey: .contracts) ?? []
        purposes = try c.decodeIfPresent([Purpose].self, forKey: .purposes) ?? []
        dataProcessingAgreement = try c.decodeIfPresent(Bool.self, forKey: .dataProcessingAgreement) ?? false
        publiclyContracted = try c.decodeIfPresent(Bool.self, forKey: .publiclyContracted) ?? false
        bilateralRegions = try c.decodeIfPresent([String].self, forKey: .bilateralRegions) ?? []
        admin = try c.decodeIfPresent(Bool.self, forKey: .admin) ?? false
        statisticsExports =
            try c.decodeIfPresent([String].self, forKey: .statisticsExports) ?? ["aggregated", "pseudonymised"]
        uids = try c.decodeIfPresent([UInt32].self, forKey: .uids) ?? []
        profiles = try c.decodeIfPresent([Profile].self, forKey: .profiles) ?? []
    }

    /// Writes every key; `profiles` only when the customer has some (so files written before
    /// the key existed are written the same).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(category, forKey: .category)
        try c.encodeIfPresent(region, forKey: .region)
        try c.encodeIfPresent(municipality, forKey: .municipality)
        try c.encode(contracts, forKey: .contracts)
        try c.encode(purposes, forKey: .purposes)
        try c.encode(dataProcessingAgreement, forKey: .dataProcessingAgreement)
        try c.encode(publiclyContracted, forKey: .publiclyContracted)
        try c.encode(bilateralRegions, forKey: .bilateralRegions)
        try c.encode(admin, forKey: .admin)
        try c.encode(statisticsExports, forKey: .statisticsExports)
        try c.encode(uids, forKey: .uids)
        if !profiles.isEmpty { try c.encode(profiles, forKey: .profiles) }
    }

    /// Whether this customer may ask for `profile` (nil and P1–P3: always; P4, P5: when listed).
    public func allows(_ profile: Profile?) -> Bool {
        guard let profile, profile.needsGrant else { return true }
        return profiles.contains(profile)
    }

    /// The region this customer belongs to: its own, or a municipality's first two digits; nil for others.
    public var homeRegion: String? {
        switch category {
        case .region: region
        case .municipality: municipality.map { String($0.prefix(2)) }
        case .private, .operator: nil
        }
    }
}
