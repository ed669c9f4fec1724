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

    public init(
        id: String, name: String, category: CustomerCategory, region: String? = nil, municipality: String? = nil,
        contracts: [Contract] = [], purposes: [Purpose] = [], dataProcessingAgreement: Bool = false,
        publiclyContracted: Bool = false, bilateralRegions: [String] = [], admin: Bool = false,
        statisticsExports: [String] = ["aggregated", "pseudonymised"], uids: [UInt32] = []
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
    }

    enum CodingKeys: String, CodingKey {
        case id, name, category, region, municipality, contracts, purposes, dataProcessingAgreement,
             publiclyContracted, bilateralRegions, admin, statisticsExports, uids
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
        statisticsExports = try c.decodeIfPresent([String].self, forKey: .statisticsExports) ?? ["aggregated", "pseudonymised"]
        uids = try c.decodeIfPresent([UInt32].self, forKey: .uids) ?? []
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
