/// The profile-P4 parts of a person record (docs/PROTOCOL.md "Profiles P4 and P5"): civil
/// status, citizenships, birth place, immigration date, relations and the identity the person
/// was referred to. Most persons in an NDJSON-fed store have none, so the store keeps them
/// apart (a side table) and `PersonRecord.details` is nil for them.
///
/// Guarantees: every code is one Navet defines (civil status `OG`, `G`, `Ä`, `S`, `RP`, `SP`,
/// `EP`, checked by the readers with `CivilStatus.codes`; relation types by `RelationType`);
/// empty/nil means unknown. `isEmpty` is true exactly when nothing is known, and the store
/// keeps no details for such a value.
public struct PersonDetails: Sendable, Hashable {
    public var civilStatus: CivilStatus?
    public var citizenships: [Citizenship]
    public var birthPlace: BirthPlace?
    public var immigrationDate: RegisterDate?
    public var relations: [Relation]
    /// `HanvisningsPersonNr`: the identity now in use.
    public var referredTo: Identity?

    public init(
        civilStatus: CivilStatus? = nil, citizenships: [Citizenship] = [], birthPlace: BirthPlace? = nil,
        immigrationDate: RegisterDate? = nil, relations: [Relation] = [], referredTo: Identity? = nil
    ) {
        self.civilStatus = civilStatus
        self.citizenships = citizenships
        self.birthPlace = birthPlace
        self.immigrationDate = immigrationDate
        self.relations = relations
        self.referredTo = referredTo
    }

    public var isEmpty: Bool {
        civilStatus == nil && citizenships.isEmpty && birthPlace == nil && immigrationDate == nil && relations.isEmpty
            && referredTo == nil
    }

    /// Civilstånd: Navet's code and the date it took effect.
    public struct CivilStatus: Sendable, Hashable {
        public var code: String
        public var date: RegisterDate?
        public init(code: String, date: RegisterDate?) {
            self.code = code
            self.date = date
        }

        /// The codes Navet defines: ogift, gift, änka/änkling, skild, registrerad partner,
        /// skild partner, efterlevande partner.
        public static let codes: Set<String> = ["OG", "G", "Ä", "S", "RP", "SP", "EP"]
    }

    /// Medborgarskap: a country code and the date it was granted (when known).
    public struct Citizenship: Sendable, Hashable {
        public var country: String
        public var date: RegisterDate?
        public init(country: String, date: RegisterDate?) {
            self.country = country
            self.date = date
        }
    }

    /// Födelse: `{county, parish}` for a birth in Sweden, `{place, country}` abroad.
    public enum BirthPlace: Sendable, Hashable {
        case sweden(county: String?, parish: String?)
        case abroad(place: String?, country: String?)
    }

    /// Navet's relation type codes (the raw values are what the JSON carries).
    public enum RelationType: String, Sendable, Hashable, CaseIterable {
        case child = "B"
        case mother = "MO"
        case father = "FA"
        case parent = "F"
        case custodian = "V"
        case custodianOf = "VF"
        case spouse = "M"
        case partner = "P"
    }

    /// The related person: an identity, or a `FodelsetidNr` (`{"kind":"birthTime","value":..}`).
    public enum RelatedPerson: Sendable, Hashable {
        case identity(Identity)
        case birthTime(String)
    }

    /// One relation: who, how, and the dates it held from and to (when known).
    public struct Relation: Sendable, Hashable {
        public var id: RelatedPerson
        public var type: RelationType
        public var from: RegisterDate?
        public var to: RegisterDate?
        public init(id: RelatedPerson, type: RelationType, from: RegisterDate?, to: RegisterDate?) {
            self.id = id
            self.type = type
            self.from = from
            self.to = to
        }
    }
}
