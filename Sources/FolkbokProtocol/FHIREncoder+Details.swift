import FolkbokJSON
import FolkbokModel

/// The P4 parts FHIR R4 `Patient` has a place for: `maritalStatus` (HL7 v3 MaritalStatus) and
/// citizenship as HL7's `patient-citizenship` extension (the extension HL7 Sweden's
/// basprofiler reuse; they define no Swedish one). Birth place, immigration and relations have
/// no `Patient` element and stay in the record view.
///
/// Civil status mapping (Navet → v3 MaritalStatus): `G` gift → `M` Married; `OG` ogift → `U`
/// Unmarried; `S` skild → `D` Divorced; `Ä` änka/änkling → `W` Widowed; `RP` registrerad
/// partner → `T` Domestic partner; `EP` efterlevande partner → `T` Domestic partner (v3 has no
/// surviving-partner code); `SP` skild partner → `D` Divorced. The Swedish code is kept in
/// `maritalStatus.text`.
extension FHIREncoder {
    static func maritalStatus(_ code: String) -> (code: String, display: String) {
        switch code {
        case "G": ("M", "Married")
        case "OG": ("U", "unmarried")
        case "S", "SP": ("D", "Divorced")
        case "Ä": ("W", "Widowed")
        default: ("T", "Domestic partner")
        }
    }

    static func writeDetails(_ d: PersonDetails?, into w: inout JSONWriter) {
        guard let d else { return }
        if let c = d.civilStatus {
            let mapped = maritalStatus(c.code)
            w.raw(
                ",\"maritalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\",\"code\":"
            )
            w.string(mapped.code)
            w.raw(",\"display\":")
            w.string(mapped.display)
            w.raw("}],\"text\":")
            w.string(c.code)
            w.raw("}")
        }
        guard !d.citizenships.isEmpty else { return }
        w.raw(",\"extension\":[")
        for (i, c) in d.citizenships.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw(
                "{\"url\":\"http://hl7.org/fhir/StructureDefinition/patient-citizenship\",\"extension\":[{\"url\":\"code\",\"valueCodeableConcept\":{\"coding\":[{\"system\":\"urn:iso:std:iso:3166\",\"code\":"
            )
            w.string(c.country)
            w.raw("}]}}")
            if let date = c.date {
                w.raw(",{\"url\":\"period\",\"valuePeriod\":{\"start\":")
                w.string(date.iso)
                w.raw("}}")
            }
            w.raw("]}")
        }
        w.raw("]")
    }
}
