import FolkbokModel

/// Applies the mapping rules of docs/PROTOCOL.md ("Navet notification files", "Mapping") to one
/// post: a pure function of the post and `today` (which bounds birth dates in numbers).
///
/// Guarantees: answers a `NavetMappedPost` whose record and P4 parts satisfy their types'
/// guarantees, or a `NavetRejection` for the first rule the post breaks: an identity that is
/// missing or invalid (form, check digit, date) or of the wrong kind for its element, a date
/// that is not `YYYYMMDD` or impossible (incomplete dates with `00` are fine), a code Navet does
/// not define (markings `J`/`N`, deregistration, civil status, relation type, län and kommun
/// digits, postal code), or a whole record without `Efternamn`.
public enum NavetMapping {
    public static func map(_ post: NavetPost, today: CivilDate) throws(NavetRejection) -> NavetMappedPost {
        let isWhole: Bool
        switch post.totalpost {
        case nil, "J": isWhole = true
        case "N": isWhole = false
        default: throw .unknownTotalpost
        }
        var record = PersonRecord(id: try personId(post, today: today))
        record.birthDate = record.id.impliedBirthDate
        record.sex = record.id.impliedSex
        var parts: NavetParts = []
        var statusDate: NavetDate?
        var profile = NavetProfile4()

        if post.secrecyMarking != nil || post.protectedRegistration != nil {
            parts.insert(.protection)
            let secrecy = try marking(post.secrecyMarking, "Sekretessmarkering")
            let protected = try marking(post.protectedRegistration, "SkyddadFolkbokforing")
            record.protection = protected ? .skyddad : secrecy ? .sekretess : .none
        }
        if let name = post.name {
            parts.insert(.name)
            record.name = PersonName(
                given: name.given, callName: callName(marking: name.callNameMarking, given: name.given),
                middle: name.middle, surname: name.surname)
        }
        if isWhole && record.name.surname == nil { throw .missingSurname }
        if let registration = post.registration {
            parts.insert(.registration)
            (record.county, record.municipality) = try places(registration)
        }
        if let addresses = post.addresses {
            parts.insert(.addresses)
            record.address = try addresses.registered.map { a throws(NavetRejection) in
                try postal(a, "Folkbokforingsadress")
            }
            record.specialAddress = try addresses.special.map { a throws(NavetRejection) in
                try postal(a, "SarskildPostadress")
            }
            record.foreignAddress = addresses.foreign.map { f in
                ForeignAddress(lines: [f.line1, f.line2, f.line3].compactMap { $0 }, country: f.country)
            }
        }
        if let deregistration = post.deregistration {
            parts.insert(.deregistration)
            statusDate = try date(deregistration.date, "Avregistreringsdatum")
            guard let code = deregistration.code else { throw .missingDeregistrationCode }
            if code == "AV" {
                record.status = PersonStatus(state: .deceased, date: statusDate)
            } else if let reason = DeregistrationReason(rawValue: code) {
                record.status = PersonStatus(state: .deregistered, date: statusDate, reason: reason)
            } else {
                throw .invalidCode("AvregistreringsorsakKod")
            }
        }
        if let referred = post.referredTo {
            parts.insert(.referredTo)
            profile.referredTo = try identity(referred, "HanvisningsPersonNr", today: today)
        }
        try mapProfile4(post, into: &profile, parts: &parts)
        record.details = profile.isEmpty ? nil : profile
        return NavetMappedPost(
            isWhole: isWhole, parts: parts, record: record, statusDate: statusDate, profile4: profile)
    }

    private static func mapProfile4(_ post: NavetPost, into profile: inout NavetProfile4, parts: inout NavetParts)
        throws(NavetRejection)
    {
        if let civil = post.civilStatus {
            parts.insert(.civilStatus)
            guard let code = civil.code else { throw .missingCode("CivilstandKod") }
            guard NavetProfile4.civilStatusCodes.contains(code) else { throw .invalidCode("CivilstandKod") }
            profile.civilStatus = NavetProfile4.CivilStatus(code: code, date: try date(civil.date, "Civilstandsdatum"))
        }
        if !post.citizenships.isEmpty {
            parts.insert(.citizenships)
            for c in post.citizenships {
                guard let country = c.country else { throw .missingCode("MedborgarskapslandKod") }
                profile.citizenships.append(
                    NavetProfile4.Citizenship(country: country, date: try date(c.date, "Medborgarskapsdatum")))
            }
        }
        if let birth = post.birth {
            parts.insert(.birth)
            if birth.homeCounty != nil || birth.homeParish != nil {
                profile.birthPlace = .sweden(county: birth.homeCounty, parish: birth.homeParish)
            } else if birth.placeAbroad != nil || birth.countryAbroad != nil {
                profile.birthPlace = .abroad(place: birth.placeAbroad, country: birth.countryAbroad)
            }
        }
        if let immigration = post.immigration {
            parts.insert(.immigration)
            profile.immigrationDate = try date(immigration.date, "Invandringsdatum")
        }
        if let relations = post.relations {
            parts.insert(.relations)
            for r in relations {
                guard let code = r.type else { throw .missingCode("Relationstyp") }
                guard let type = NavetProfile4.RelationType(rawValue: code) else { throw .invalidCode("Relationstyp") }
                let id: NavetProfile4.RelatedPerson
                if let number = r.personNumber {
                    id = .identity(try anyIdentity(number, "RelationId"))
                } else if let birthTime = r.birthTimeNumber {
                    id = .birthTime(birthTime)
                } else {
                    throw .missingCode("RelationId")
                }
                profile.relations.append(
                    NavetProfile4.Relation(
                        id: id, type: type, from: try date(r.from, "RelationFromdatum"),
                        to: try date(r.to, "RelationTomdatum")))
            }
        }
    }

    /// Relations may name a person whose number is in the future relative to `today` only if
    /// it parses; a check against a far future keeps a relation to a newborn from being refused.
    private static func anyIdentity(_ text: String, _ element: String) throws(NavetRejection) -> Identity {
        try identity(text, element, today: CivilDate(year: 9999, month: 12, day: 31)!)
    }
}

/// The rules one field at a time.
extension NavetMapping {
    static func personId(_ post: NavetPost, today: CivilDate) throws(NavetRejection) -> Identity {
        if let number = post.personNumber {
            let id = try identity(number, "PersonNr", today: today)
            guard id.kind == .personnummer else { throw .wrongIdentityKind("PersonNr") }
            return id
        }
        if let number = post.coordinationNumber {
            let id = try identity(number, "TilldelatPersonNrSamordningsNr", today: today)
            guard id.kind == .samordningsnummer else { throw .wrongIdentityKind("TilldelatPersonNrSamordningsNr") }
            return id
        }
        throw .missingIdentity
    }

    /// Twelve digits that parse as a personnummer or samordningsnummer.
    static func identity(_ text: String, _ element: String, today: CivilDate) throws(NavetRejection) -> Identity {
        guard text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw .invalidIdentity(element, .unrecognisedFormat)
        }
        let id: Identity
        do { id = try IdentityParser.parse(text, today: today) } catch { throw .invalidIdentity(element, error) }
        guard id.kind != .reserve else { throw .wrongIdentityKind(element) }
        return id
    }

    /// `J` true, `N` or absent false.
    static func marking(_ value: String?, _ element: String) throws(NavetRejection) -> Bool {
        switch value {
        case nil, "N": false
        case "J": true
        default: throw .invalidCode(element)
        }
    }

    /// `LanKod` two digits → county; with `KommunKod` (two digits, or four starting with the
    /// county) the four-digit municipality.
    static func places(_ r: NavetPost.Registration) throws(NavetRejection) -> (String?, String?) {
        func digits(_ s: String, _ n: Int) -> Bool {
            s.utf8.count == n && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        guard let county = r.county else {
            if r.municipality != nil { throw .missingCode("LanKod") }
            return (nil, nil)
        }
        guard digits(county, 2) else { throw .invalidCode("LanKod") }
        guard let municipality = r.municipality else { return (county, nil) }
        if digits(municipality, 2) { return (county, county + municipality) }
        if digits(municipality, 4), municipality.hasPrefix(county) { return (county, municipality) }
        throw .invalidCode("KommunKod")
    }

    /// A Swedish postal address: the street is `Utdelningsadress2`, else `Utdelningsadress1`; the
    /// postal code five digits (a space inside, as in `111 22`, is dropped).
    static func postal(_ a: NavetPost.PostalAddress, _ element: String) throws(NavetRejection) -> PostalAddress {
        var code: String?
        if let raw = a.postalCode {
            let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
            if raw.utf8.count == 5, raw.utf8.allSatisfy(isDigit) {
                code = raw
            } else {
                let digits = raw.utf8.filter { $0 != 0x20 }
                guard digits.count == 5, digits.allSatisfy(isDigit) else { throw .invalidCode(element + "/PostNr") }
                code = String(decoding: digits, as: UTF8.self)
            }
        }
        return PostalAddress(careOf: a.careOf, street: a.line2 ?? a.line1, postalCode: code, city: a.city)
    }

    /// A Navet date, absent → nil, impossible → rejected.
    static func date(_ text: String?, _ element: String) throws(NavetRejection) -> NavetDate? {
        guard let text else { return nil }
        guard let date = NavetDate(navet: text) else { throw .impossibleDate(element) }
        return date
    }
}
