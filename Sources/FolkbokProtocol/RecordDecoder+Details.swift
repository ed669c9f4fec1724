import FolkbokJSON
import FolkbokModel

/// Reads the profile-P4 keys of an import line (`civilStatus`, `citizenships`, `birthPlace`,
/// `immigrationDate`, `relations`, `referredTo`): absent or null means unknown, a present value
/// must have the protocol's shape, and a failure names the key, never the value. `history` is
/// never read: folkbok writes it.
extension RecordDecoder {
    /// The details `o` carries, nil when it carries none.
    static func readDetails(_ o: JSONObject, today: CivilDate) throws(Rejection) -> PersonDetails? {
        var d = PersonDetails()
        if let c = try object(o, "civilStatus") {
            guard let code = try string(c, "code", "civilStatus.code"), PersonDetails.CivilStatus.codes.contains(code)
            else {
                throw Rejection(reason: "\"civilStatus.code\" must be one of OG, G, Ä, S, RP, SP, EP")
            }
            d.civilStatus = PersonDetails.CivilStatus(code: code, date: try registerDate(c, "date", "civilStatus.date"))
        }
        for item in try list(o, "citizenships") {
            guard case .object(let c) = item, let country = try string(c, "country", "citizenships.country"),
                !country.isEmpty
            else {
                throw Rejection(reason: "\"citizenships\" must hold objects with a \"country\"")
            }
            d.citizenships.append(
                PersonDetails.Citizenship(country: country, date: try registerDate(c, "date", "citizenships.date")))
        }
        if let b = try object(o, "birthPlace") {
            let abroad = b["place"] != nil || b["country"] != nil
            let sweden = b["county"] != nil || b["parish"] != nil
            guard abroad != sweden else {
                throw Rejection(reason: "\"birthPlace\" must be {\"county\",\"parish\"} or {\"place\",\"country\"}")
            }
            d.birthPlace =
                abroad
                ? .abroad(
                    place: try string(b, "place", "birthPlace.place"),
                    country: try string(b, "country", "birthPlace.country"))
                : .sweden(
                    county: try string(b, "county", "birthPlace.county"),
                    parish: try string(b, "parish", "birthPlace.parish"))
        }
        d.immigrationDate = try registerDate(o, "immigrationDate", "immigrationDate")
        for item in try list(o, "relations") {
            guard case .object(let rel) = item else { throw Rejection(reason: "\"relations\" must hold objects") }
            guard let typeText = try string(rel, "type", "relations.type"),
                let type = PersonDetails.RelationType(rawValue: typeText)
            else {
                throw Rejection(reason: "\"relations.type\" must be one of B, MO, FA, F, V, VF, M, P")
            }
            guard let idObject = try object(rel, "id") else { throw Rejection(reason: "\"relations.id\" is required") }
            let person: PersonDetails.RelatedPerson
            if case .string("birthTime")? = idObject["kind"] {
                guard let value = try string(idObject, "value", "relations.id.value"),
                    (1...32).contains(value.utf8.count)
                else {
                    throw Rejection(reason: "\"relations.id.value\" must be a birth time number")
                }
                person = .birthTime(value)
            } else {
                person = .identity(try identity(idObject, "relations.id", today: today))
            }
            d.relations.append(
                PersonDetails.Relation(
                    id: person, type: type, from: try registerDate(rel, "from", "relations.from"),
                    to: try registerDate(rel, "to", "relations.to")))
        }
        if let r = try object(o, "referredTo") { d.referredTo = try identity(r, "referredTo", today: today) }
        return d.isEmpty ? nil : d
    }

    private static func list(_ o: JSONObject, _ key: String) throws(Rejection) -> [JSONValue] {
        switch o[key] {
        case nil, .null?: return []
        case .array(let items)?: return items
        default: throw Rejection(reason: "\"\(key)\" must be a list or null")
        }
    }

    /// A personnummer or samordningsnummer identity object (reserve identities are not P4 data).
    private static func identity(_ o: JSONObject, _ path: String, today: CivilDate) throws(Rejection) -> Identity {
        guard case .string(let value)? = o["value"] else {
            throw Rejection(reason: "\"\(path)\" must be an identity object with a \"value\"")
        }
        let id: Identity
        do { id = try IdentityParser.parse(value, today: today) } catch {
            throw Rejection(reason: "\"\(path)\": \(error.message)")
        }
        guard id.kind != .reserve else {
            throw Rejection(reason: "\"\(path)\" must be a personnummer or samordningsnummer")
        }
        if case .string(let kind)? = o["kind"], kind != id.kind.rawValue {
            throw Rejection(reason: "\"\(path).kind\" does not match the number")
        }
        return id
    }
}
