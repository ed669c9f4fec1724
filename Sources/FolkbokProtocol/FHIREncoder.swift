import FolkbokJSON
import FolkbokModel

/// Writes a record as a FHIR R4 `Patient` resource, under the same disclosure rule as the
/// record view: a limited record carries only the limited fields and a `meta.security` tag
/// `R` (restricted) from HL7's Confidentiality code system. At P4 and P5 a full record adds
/// `maritalStatus` and the citizenship extension (FHIREncoder+Details.swift).
enum FHIREncoder {
    static func system(for id: Identity) -> String {
        switch id.kind {
        case .personnummer: "urn:oid:1.2.752.129.2.1.3.1"
        case .samordningsnummer: "urn:oid:1.2.752.129.2.1.3.3"
        case .reserve: id.isNationalReserve ? "urn:oid:1.2.752.74.9.1" : "urn:folkbok:reserve:\(id.issuer ?? "")"
        }
    }

    static func write(
        _ r: PersonRecord, view: DisclosureView, profile: Profile?, showContact: Bool, into w: inout JSONWriter
    ) {
        w.raw("{\"resourceType\":\"Patient\",\"meta\":{\"versionId\":")
        w.string(String(r.version))
        if view.isLimited {
            w.raw(
                ",\"security\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-Confidentiality\",\"code\":\"R\"}]"
            )
        }
        w.raw("},\"identifier\":[{\"system\":")
        w.string(system(for: r.id))
        w.raw(",\"value\":")
        w.string(r.id.value)
        w.raw("}],\"name\":[{\"use\":\"official\",\"family\":")
        w.stringOrNull(r.name.surname)
        w.raw(",\"given\":[")
        for (i, given) in (r.name.given ?? "").split(separator: " ").enumerated() {
            if i > 0 { w.raw(",") }
            w.string(given)
        }
        w.raw("]}]")
        if view != .limitedSkyddad, let sex = r.sex {
            w.raw(",\"gender\":")
            w.string(sex == .female ? "female" : "male")
        }
        if view.isLimited {
            w.raw("}")
            return
        }
        if let birth = r.birthDate {
            w.raw(",\"birthDate\":")
            w.string(birth.iso)
        }
        if r.status.state == .deceased {
            if let date = r.status.date {
                w.raw(",\"deceasedDateTime\":")
                w.string(date.iso)
            } else {
                w.raw(",\"deceasedBoolean\":true")
            }
        }
        if Profile.includesAddress(profile), let a = r.address {
            w.raw(",\"address\":[{\"use\":\"home\",\"line\":[")
            let lines = [a.careOf, a.street].compactMap { $0 }
            for (i, line) in lines.enumerated() {
                if i > 0 { w.raw(",") }
                w.string(line)
            }
            w.raw("],\"postalCode\":")
            w.stringOrNull(a.postalCode)
            w.raw(",\"city\":")
            w.stringOrNull(a.city)
            w.raw(",\"country\":\"SE\"}]")
        }
        if showContact && Profile.includesContact(profile), let c = r.contact {
            w.raw(",\"telecom\":[")
            var first = true
            for (system, value) in [("email", c.email), ("phone", c.phone)] {
                guard let value else { continue }
                if !first { w.raw(",") }
                first = false
                w.raw("{\"system\":")
                w.string(system)
                w.raw(",\"value\":")
                w.string(value)
                w.raw("}")
            }
            w.raw("]")
        }
        if Profile.includesDetails(profile) { writeDetails(r.details, into: &w) }
        w.raw("}")
    }
}
