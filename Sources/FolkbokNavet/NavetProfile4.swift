import FolkbokModel

/// The profile-P4 parts of a post (docs/PROTOCOL.md "Profiles P4 and P5"), parsed and checked
/// but not yet part of `PersonRecord`: the record model, store and renderer take them later.
///
/// Guarantees: every code is one Navet defines (civil status OG, G, Ä, S, RP, SP, EP; relation
/// types B, MO, FA, F, V, VF, M, P); every identity passed `IdentityParser`; every date is a
/// possible (perhaps incomplete) `NavetDate`. Empty/nil means the post did not say.
public struct NavetProfile4: Sendable, Hashable {
    public var civilStatus: CivilStatus?
    public var citizenships: [Citizenship]
    public var birthPlace: BirthPlace?
    public var immigrationDate: NavetDate?
    public var relations: [Relation]
    /// `HanvisningsPersonNr`: the identity now in use.
    public var referredTo: Identity?

    public init(civilStatus: CivilStatus? = nil, citizenships: [Citizenship] = [], birthPlace: BirthPlace? = nil,
                immigrationDate: NavetDate? = nil, relations: [Relation] = [], referredTo: Identity? = nil) {
        self.civilStatus = civilStatus
        self.citizenships = citizenships
        self.birthPlace = birthPlace
        self.immigrationDate = immigrationDate
        self.relations = relations
        self.referredTo = referredTo
    }

    public static let civilStatusCodes: Set<String> = ["OG", "G", "Ä", "S", "RP", "SP", "EP"]

    public struct CivilStatus: Sendable, Hashable {
        public var code: String
        public var date: NavetDate?
        public init(code: String, date: NavetDate?) {
            self.code = code
            self.date = date
        }
    }

    public struct Citizenship: Sendable, Hashable {
        public var country: String
        public var date: NavetDate?
        public init(country: String, date: NavetDate?) {
            self.country = country
            self.date = date
        }
    }

    /// `{county, parish}` for a birth in Sweden, `{place, country}` abroad.
    public enum BirthPlace: Sendable, Hashable {
        case sweden(county: String?, parish: String?)
        case abroad(place: String?, country: String?)
    }

    /// Navet's relation type codes.
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

    public struct Relation: Sendable, Hashable {
        public var id: RelatedPerson
        public var type: RelationType
        public var from: NavetDate?
        public var to: NavetDate?
        public init(id: RelatedPerson, type: RelationType, from: NavetDate?, to: NavetDate?) {
            self.id = id
            self.type = type
            self.from = from
            self.to = to
        }
    }
}
