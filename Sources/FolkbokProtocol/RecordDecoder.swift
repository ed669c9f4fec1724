import FolkbokJSON
import FolkbokModel

/// Reads one import line (docs/PROTOCOL.md's full-view record shape) into a `PersonRecord`.
///
/// Guarantees: accepts only personnummer and samordningsnummer ids that pass their checks;
/// every present field has the right type and form (codes are digits of the right length,
/// dates real `YYYY-MM-DD`, or `YYYY-MM`/`YYYY` where the register allows incomplete dates);
/// a failure's reason names the field, never its value. `version`, `limited` and `history` in
/// the input are ignored (folkbok writes the history); a missing `test` means false.
public enum RecordDecoder {
    public struct Rejection: Error, Sendable, Equatable { public let reason: String }

    public static func decode(_ value: JSONValue, today: CivilDate) throws(Rejection) -> PersonRecord {
        guard case .object(let o) = value else { throw Rejection(reason: "the line is not a JSON object") }
        guard case .object(let idObject)? = o["id"], case .string(let idValue)? = idObject["value"] else {
            throw Rejection(reason: "\"id\" must be an object with a \"value\"")
        }
        let id: Identity
        do { id = try IdentityParser.parse(idValue, today: today) } catch {
            throw Rejection(reason: "\"id\": \(error.message)")
        }
        guard id.kind != .reserve else { throw Rejection(reason: "\"id\": reserve identities are not imported") }
        if case .string(let kind)? = idObject["kind"], kind != id.kind.rawValue {
            throw Rejection(reason: "\"id.kind\" does not match the number")
        }
        var r = PersonRecord(id: id)
        try readFields(o, into: &r)
        r.region = try region(o)
        r.details = try readDetails(o, today: today)
        r.contact = try contact(o)
        return r
    }

    /// The `contact` of an import line, nil when absent or null.
    static func contact(_ o: JSONObject) throws(Rejection) -> ContactDetails? {
        guard let c = try object(o, "contact") else { return nil }
        guard let consent = try object(c, "consent"),
            let source = try string(consent, "source", "contact.consent.source"),
            let consentDate = try date(consent, "date", "contact.consent.date")
        else {
            throw Rejection(reason: "\"contact.consent\" needs a source and a date")
        }
        let email = try string(c, "email", "contact.email"), phone = try string(c, "phone", "contact.phone")
        guard email != nil || phone != nil else { throw Rejection(reason: "\"contact\" needs an email or a phone") }
        let version = c["version"]?.uint64Value ?? 1
        return ContactDetails(
            email: email, phone: phone, consent: Consent(source: source, date: consentDate), version: version)
    }

    /// The person keys a caller may give for a reserve identity's person data.
    public static let personKeys: Set<String> = [
        "name", "birthDate", "sex", "address", "specialAddress", "foreignAddress", "county", "municipality",
        "protection", "test", "status",
    ]

    /// Reads the person fields (everything but `id`, `region`, `contact`, `reserveLinks` and
    /// `version`) of `o` into `r`; a missing birth date or sex is taken from `r.id` when it implies one.
    public static func readFields(_ o: JSONObject, into r: inout PersonRecord) throws(Rejection) {
        let id = r.id
        if let name = try object(o, "name") {
            r.name = PersonName(
                given: try string(name, "given", "name.given"), callName: try string(name, "callName", "name.callName"),
                middle: try string(name, "middle", "name.middle"), surname: try string(name, "surname", "name.surname"))
        }
        r.birthDate = try date(o, "birthDate", "birthDate") ?? id.impliedBirthDate
        if let sex = try string(o, "sex", "sex") {
            guard let s = Sex(rawValue: sex) else { throw Rejection(reason: "\"sex\" must be \"F\" or \"M\"") }
            r.sex = s
        } else {
            r.sex = id.impliedSex
        }
        r.address = try address(o, "address")
        r.specialAddress = try address(o, "specialAddress")
        if let f = try foreignAddress(o) { r.foreignAddress = f }
        r.county = try code(o, "county", digits: 2)
        r.municipality = try code(o, "municipality", digits: 4)
        if let p = try string(o, "protection", "protection") {
            guard let protection = Protection(wireName: p) else {
                throw Rejection(reason: "\"protection\" has an unknown value")
            }
            r.protection = protection
        }
        if let t = o["test"], t != .null {
            guard case .bool(let b) = t else { throw Rejection(reason: "\"test\" must be true or false") }
            r.test = b
        }
        if let s = try object(o, "status") {
            guard let stateText = try string(s, "state", "status.state"), let state = LifeState(wireName: stateText)
            else {
                throw Rejection(reason: "\"status.state\" must be active, deceased or deregistered")
            }
            var status = PersonStatus(state: state, date: try registerDate(s, "date", "status.date"))
            if let reason = try string(s, "reason", "status.reason") {
                guard let code = DeregistrationReason(rawValue: reason), state == .deregistered else {
                    throw Rejection(reason: "\"status.reason\" must be a Navet code of a deregistered person")
                }
                status.reason = code
            }
            r.status = status
        }
    }

    /// The `foreignAddress` of `o`, nil when absent or null.
    static func foreignAddress(_ o: JSONObject) throws(Rejection) -> ForeignAddress? {
        guard let f = try object(o, "foreignAddress") else { return nil }
        guard case .array(let lines)? = f["lines"] else {
            throw Rejection(reason: "\"foreignAddress.lines\" must be a list")
        }
        var texts: [String] = []
        for line in lines {
            guard case .string(let t) = line else {
                throw Rejection(reason: "\"foreignAddress.lines\" must hold strings")
            }
            texts.append(t)
        }
        return ForeignAddress(lines: texts, country: try string(f, "country", "foreignAddress.country"))
    }

    /// The region code of an import line (the `region` param of the import wins over it).
    static func region(_ o: JSONObject) throws(Rejection) -> String? { try code(o, "region", digits: 2) }

    static func object(_ o: JSONObject, _ key: String) throws(Rejection) -> JSONObject? {
        switch o[key] {
        case nil, .null?: return nil
        case .object(let inner)?: return inner
        default: throw Rejection(reason: "\"\(key)\" must be an object or null")
        }
    }

    static func string(_ o: JSONObject, _ key: String, _ path: String) throws(Rejection) -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw Rejection(reason: "\"\(path)\" must be a string or null")
        }
    }

    private static func date(_ o: JSONObject, _ key: String, _ path: String) throws(Rejection) -> CivilDate? {
        guard let s = try string(o, key, path) else { return nil }
        guard let d = CivilDate(iso: s) else { throw Rejection(reason: "\"\(path)\" must be a date YYYY-MM-DD") }
        return d
    }

    static func registerDate(_ o: JSONObject, _ key: String, _ path: String) throws(Rejection) -> RegisterDate? {
        guard let s = try string(o, key, path) else { return nil }
        guard let d = RegisterDate(iso: s) else {
            throw Rejection(reason: "\"\(path)\" must be a date YYYY-MM-DD, YYYY-MM or YYYY")
        }
        return d
    }

    private static func code(_ o: JSONObject, _ key: String, digits: Int) throws(Rejection) -> String? {
        guard let s = try string(o, key, key) else { return nil }
        guard s.utf8.count == digits, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw Rejection(reason: "\"\(key)\" must be \(digits) digits")
        }
        return s
    }

    static func address(_ o: JSONObject, _ key: String) throws(Rejection) -> PostalAddress? {
        guard let a = try object(o, key) else { return nil }
        return PostalAddress(
            careOf: try string(a, "careOf", "\(key).careOf"), street: try string(a, "street", "\(key).street"),
            postalCode: try string(a, "postalCode", "\(key).postalCode"), city: try string(a, "city", "\(key).city"))
    }
}
