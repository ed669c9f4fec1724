import FolkbokEngine
import FolkbokJSON
import FolkbokModel

/// `contact.set` / `contact.delete`: citizens' digital contact details, given with consent,
/// each change raising the person's contact version (docs/PROTOCOL.md, "Contact").
///
/// Choices where the protocol is silent: `contact.set` replaces the fields it names and keeps
/// the other (a set with only `phone` keeps the email) and always replaces the consent;
/// `contact.delete` of something the person does not have changes nothing and answers the
/// current version; a person without contact details has version 0 for `ifVersion`.
extension Service {
    func contactSet(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["id", "email", "phone", "consent", "ifVersion"])
        let asked = try IdentityParam(try p.required("id"), name: "id")
        let emailText = try p.string("email"), phoneText = try p.string("phone")
        guard emailText != nil || phoneText != nil else { throw .invalidParams("\"email\" or \"phone\" is required") }
        guard case .object(let consentObject) = try p.required("consent") else {
            throw .invalidParams("\"consent\" must be an object")
        }
        let c = try Params(consentObject, allowed: ["source", "date"])
        let source = try c.requiredString("source")
        guard (1...64).contains(source.count) else {
            throw .invalidParams("\"consent.source\" must be 1–64 characters")
        }
        guard let consentDate = CivilDate(iso: try c.requiredString("date")) else {
            throw .invalidParams("\"consent.date\" must be a date YYYY-MM-DD")
        }
        guard consentDate <= today else { throw .invalidParams("\"consent.date\" is in the future") }
        let email = try emailText.map { (text) throws(RPCError) -> String in
            guard let valid = ContactValidation.email(text) else {
                throw .invalidParams("\"email\" is not a valid e-mail address")
            }
            return valid
        }
        let phone = try phoneText.map { (text) throws(RPCError) -> String in
            guard let valid = ContactValidation.phone(text) else {
                throw .invalidParams("\"phone\" is not a valid phone number")
            }
            return valid
        }
        let ifVersion = try p.uint("ifVersion")
        _ = try adminSession(session)
        let key = try personKey(asked)
        return readModifyWrite(id: id, reading: [key]) { records throws(RPCError) in
            guard var person = records[0] else { throw .notFound }
            let current = person.contact
            try Self.check(ifVersion, against: current)
            let version = (current?.version ?? 0) + 1
            person.contact = ContactDetails(
                email: email ?? current?.email, phone: phone ?? current?.phone,
                consent: Consent(source: source, date: consentDate), version: version)
            return WritePlan(mutations: [.upsert(key, person)], version: version)
        }
    }

    func contactDelete(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["id", "kind", "ifVersion"])
        let asked = try IdentityParam(try p.required("id"), name: "id")
        guard let kind = try p.choice("kind", ContactKind.self) else { throw .invalidParams("\"kind\" is required") }
        let ifVersion = try p.uint("ifVersion")
        _ = try adminSession(session)
        let key = try personKey(asked)
        return readModifyWrite(id: id, reading: [key]) { records throws(RPCError) in
            guard var person = records[0] else { throw .notFound }
            try Self.check(ifVersion, against: person.contact)
            guard var contact = person.contact, contact.email != nil || contact.phone != nil else {
                return WritePlan(mutations: [], version: person.contact?.version ?? 0)
            }
            if kind != .phone { contact.email = nil }
            if kind != .email { contact.phone = nil }
            contact.version += 1
            person.contact = contact
            return WritePlan(mutations: [.upsert(key, person)], version: contact.version)
        }
    }

    /// The key of a person (or reserve identity) named by an `id` param: 4022, or 4004 for a
    /// local reserve identity never registered.
    func personKey(_ param: IdentityParam) throws(RPCError) -> IdentityKey {
        let identity = try param.identity(today: today)
        guard let key = identity.kind == .reserve ? engine.reserves.key(of: identity) : IdentityKey(identity) else {
            throw .notFound
        }
        return key
    }

    private static func check(_ ifVersion: UInt64?, against contact: ContactDetails?) throws(RPCError) {
        guard let ifVersion, ifVersion != (contact?.version ?? 0) else { return }
        throw .conflict("the contact details have changed (stale ifVersion)")
    }
}

/// `kind` of `contact.delete`.
enum ContactKind: String { case email, phone, all }
