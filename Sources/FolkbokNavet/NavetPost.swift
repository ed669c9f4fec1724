/// One `Folkbokforingspost` as the file holds it: every part the post carries, as text, before any
/// rule is applied (`NavetMapping` applies them).
///
/// Guarantees: a part the post does not carry is nil (or empty for `citizenships`); a part it
/// carries is non-nil even when all its fields are absent. Values are the elements' text with
/// leading and trailing white space removed; an empty element is nil. Elements folkbok does not
/// read (`Historik`, `Sarlosning`, later schema additions) are skipped.
public struct NavetPost: Sendable, Hashable {
    /// The post's number in its file, from 1 (every `Folkbokforingspost` counts).
    public var index: Int
    /// `Sekretessmarkering` (`J`/`N`), if present.
    public var secrecyMarking: String?
    /// `SkyddadFolkbokforing` (`J`/`N`), if present (later schema versions).
    public var protectedRegistration: String?
    /// `Arendeuppgift/@totalpost`: `J` (or absent) a whole record, `N` a change.
    public var totalpost: String?
    /// `Arendeuppgift/@andringstidpunkt`.
    public var changedAt: String?
    public var personNumber: String?
    public var coordinationNumber: String?
    public var referredTo: String?
    public var deregistration: Deregistration?
    public var name: Name?
    public var registration: Registration?
    public var addresses: Addresses?
    public var civilStatus: CivilStatus?
    public var birth: Birth?
    public var immigration: Immigration?
    /// The `Relationer` part: nil when absent, else its `Relation`s (possibly none).
    public var relations: [Relation]?
    /// Every `Medborgarskap`, together one part (empty when the post has none).
    public var citizenships: [Citizenship] = []

    public init(index: Int) { self.index = index }

    /// `Avregistrering`.
    public struct Deregistration: Sendable, Hashable {
        public var code: String?
        public var date: String?
        public init(code: String? = nil, date: String? = nil) {
            self.code = code
            self.date = date
        }
    }

    /// `Namn`.
    public struct Name: Sendable, Hashable {
        public var callNameMarking: String?
        public var given: String?
        public var middle: String?
        public var surname: String?
        public var notificationName: String?
        public init(
            callNameMarking: String? = nil, given: String? = nil, middle: String? = nil, surname: String? = nil,
            notificationName: String? = nil
        ) {
            self.callNameMarking = callNameMarking
            self.given = given
            self.middle = middle
            self.surname = surname
            self.notificationName = notificationName
        }
    }

    /// `Folkbokforing`.
    public struct Registration: Sendable, Hashable {
        public var date: String?
        public var county: String?
        public var municipality: String?
        public var parish: String?
        public var property: String?
        public var fictitiousNumber: String?
        public var kind: String?
        public init(
            date: String? = nil, county: String? = nil, municipality: String? = nil, parish: String? = nil,
            property: String? = nil, fictitiousNumber: String? = nil, kind: String? = nil
        ) {
            self.date = date
            self.county = county
            self.municipality = municipality
            self.parish = parish
            self.property = property
            self.fictitiousNumber = fictitiousNumber
            self.kind = kind
        }
    }

    /// `Folkbokforingsadress` or `SarskildPostadress`.
    public struct PostalAddress: Sendable, Hashable {
        public var careOf: String?
        public var line1: String?
        public var line2: String?
        public var postalCode: String?
        public var city: String?
        public init(
            careOf: String? = nil, line1: String? = nil, line2: String? = nil, postalCode: String? = nil,
            city: String? = nil
        ) {
            self.careOf = careOf
            self.line1 = line1
            self.line2 = line2
            self.postalCode = postalCode
            self.city = city
        }
    }

    /// `Utlandsadress`.
    public struct ForeignAddress: Sendable, Hashable {
        public var line1: String?
        public var line2: String?
        public var line3: String?
        public var country: String?
        public var date: String?
        public init(
            line1: String? = nil, line2: String? = nil, line3: String? = nil, country: String? = nil,
            date: String? = nil
        ) {
            self.line1 = line1
            self.line2 = line2
            self.line3 = line3
            self.country = country
            self.date = date
        }
    }

    /// `Adresser`: all three addresses are one part.
    public struct Addresses: Sendable, Hashable {
        public var registered: PostalAddress?
        public var special: PostalAddress?
        public var foreign: ForeignAddress?
        public init(registered: PostalAddress? = nil, special: PostalAddress? = nil, foreign: ForeignAddress? = nil) {
            self.registered = registered
            self.special = special
            self.foreign = foreign
        }
    }

    /// `Civilstand`.
    public struct CivilStatus: Sendable, Hashable {
        public var code: String?
        public var date: String?
        public init(code: String? = nil, date: String? = nil) {
            self.code = code
            self.date = date
        }
    }

    /// `Fodelse`: `HemortSverige` or `OrtUtlandet`.
    public struct Birth: Sendable, Hashable {
        public var homeCounty: String?
        public var homeParish: String?
        public var placeAbroad: String?
        public var countryAbroad: String?
        public init(
            homeCounty: String? = nil, homeParish: String? = nil, placeAbroad: String? = nil,
            countryAbroad: String? = nil
        ) {
            self.homeCounty = homeCounty
            self.homeParish = homeParish
            self.placeAbroad = placeAbroad
            self.countryAbroad = countryAbroad
        }
    }

    /// `Invandring`.
    public struct Immigration: Sendable, Hashable {
        public var date: String?
        public init(date: String? = nil) { self.date = date }
    }

    /// `Relation`: the related person by `PersonNr` (or samordningsnummer) or `FodelsetidNr`.
    public struct Relation: Sendable, Hashable {
        public var personNumber: String?
        public var birthTimeNumber: String?
        public var type: String?
        public var from: String?
        public var to: String?
        public init(
            personNumber: String? = nil, birthTimeNumber: String? = nil, type: String? = nil, from: String? = nil,
            to: String? = nil
        ) {
            self.personNumber = personNumber
            self.birthTimeNumber = birthTimeNumber
            self.type = type
            self.from = from
            self.to = to
        }
    }

    /// `Medborgarskap`.
    public struct Citizenship: Sendable, Hashable {
        public var country: String?
        public var date: String?
        public init(country: String? = nil, date: String? = nil) {
            self.country = country
            self.date = date
        }
    }
}

/// `Aviseringsinformation/Filinformation` of one file.
///
/// Guarantees: counts are whole numbers ≥ 0 as the file gave them (a count that is not one makes
/// the file malformed); every field is nil when the file does not give it.
public struct NavetFileHeader: Sendable, Hashable {
    public var orderId: String?
    public var product: String?
    public var fileName: String?
    public var effectiveDate: String?
    public var postCount: Int?
    public var totalPostCount: Int?
    public var fileCount: Int?
    public var fileNumber: Int?

    public init(
        orderId: String? = nil, product: String? = nil, fileName: String? = nil, effectiveDate: String? = nil,
        postCount: Int? = nil, totalPostCount: Int? = nil, fileCount: Int? = nil, fileNumber: Int? = nil
    ) {
        self.orderId = orderId
        self.product = product
        self.fileName = fileName
        self.effectiveDate = effectiveDate
        self.postCount = postCount
        self.totalPostCount = totalPostCount
        self.fileCount = fileCount
        self.fileNumber = fileNumber
    }
}
