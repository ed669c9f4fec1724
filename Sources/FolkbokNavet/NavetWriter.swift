import FolkbokXML

/// Writes Navet notification files (Navetavisering V1, the element order of NAVET.md) from
/// `NavetPost` values: what `folkbok generate --format navet` and the tests write.
///
/// Guarantees: the output is well-formed XML that `NavetFileReader` reads back to the same
/// header and posts (every text escaped; in ISO-8859-1 output, characters past U+00FF become
/// character references). A part that is nil is left out; `citizenships` writes one
/// `Medborgarskap` each. Pieces can be written one at a time (`start`, `post`, `end`) so a large
/// file never has to be held whole.
public struct NavetWriter: Sendable {
    public enum Encoding: Sendable { case utf8, latin1 }

    public let encoding: Encoding

    public init(encoding: Encoding = .utf8) { self.encoding = encoding }

    /// A whole file.
    public func document(header: NavetFileHeader?, posts: [NavetPost]) -> [UInt8] {
        var out = start(header: header)
        for post in posts { out += self.post(post) }
        out += end()
        return out
    }

    /// The declaration, the header and the opening of `Folkbokforingsposter`.
    public func start(header: NavetFileHeader?) -> [UInt8] {
        var s =
            encoding == .utf8
            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        s += "<Navetavisering>\n"
        if let h = header {
            s += "  <Aviseringsinformation>\n    <Filinformation>\n"
            leaf(&s, "BestallningsId", h.orderId)
            leaf(&s, "Produkt", h.product)
            s += "<Utfil>"
            leaf(&s, "Filnamn", h.fileName)
            leaf(&s, "Effektueringsdatum", h.effectiveDate)
            leaf(&s, "AntalPoster", h.postCount.map(String.init))
            leaf(&s, "AntalPosterTotalt", h.totalPostCount.map(String.init))
            leaf(&s, "AntalFiler", h.fileCount.map(String.init))
            leaf(&s, "FilNr", h.fileNumber.map(String.init))
            s += "</Utfil>\n    </Filinformation>\n  </Aviseringsinformation>\n"
        }
        s += "  <Folkbokforingsposter>\n"
        return bytes(s)
    }

    public func end() -> [UInt8] { bytes("  </Folkbokforingsposter>\n</Navetavisering>\n") }

    /// One `Folkbokforingspost`.
    public func post(_ p: NavetPost) -> [UInt8] {
        var s = "    <Folkbokforingspost>\n      "
        leaf(&s, "Sekretessmarkering", p.secrecyMarking)
        leaf(&s, "SkyddadFolkbokforing", p.protectedRegistration)
        if p.totalpost != nil || p.changedAt != nil {
            s += "<Arendeuppgift"
            if let t = p.changedAt { s += " andringstidpunkt=\"" + XMLEscaping.attribute(t) + "\"" }
            if let t = p.totalpost { s += " totalpost=\"" + XMLEscaping.attribute(t) + "\"" }
            s += "/>"
        }
        s += "\n      <Personpost>\n        "
        if p.personNumber != nil || p.coordinationNumber != nil {
            s += "<PersonId>"
            leaf(&s, "PersonNr", p.personNumber)
            leaf(&s, "TilldelatPersonNrSamordningsNr", p.coordinationNumber)
            s += "</PersonId>"
        }
        leaf(&s, "HanvisningsPersonNr", p.referredTo)
        if let d = p.deregistration {
            s += "\n        <Avregistrering>"
            leaf(&s, "AvregistreringsorsakKod", d.code)
            leaf(&s, "Avregistreringsdatum", d.date)
            s += "</Avregistrering>"
        }
        if let n = p.name {
            s += "\n        <Namn>"
            leaf(&s, "Tilltalsnamnsmarkering", n.callNameMarking)
            leaf(&s, "Fornamn", n.given)
            leaf(&s, "Mellannamn", n.middle)
            leaf(&s, "Efternamn", n.surname)
            leaf(&s, "Aviseringsnamn", n.notificationName)
            s += "</Namn>"
        }
        if let r = p.registration {
            s += "\n        <Folkbokforing>"
            leaf(&s, "Folkbokforingsdatum", r.date)
            leaf(&s, "LanKod", r.county)
            leaf(&s, "KommunKod", r.municipality)
            leaf(&s, "ForsamlingKod", r.parish)
            leaf(&s, "Fastighetsbeteckning", r.property)
            leaf(&s, "FiktivtNr", r.fictitiousNumber)
            leaf(&s, "Folkbokforingstyp", r.kind)
            s += "</Folkbokforing>"
        }
        if let a = p.addresses {
            s += "\n        <Adresser>"
            postal(&s, "Folkbokforingsadress", a.registered)
            postal(&s, "SarskildPostadress", a.special)
            if let f = a.foreign {
                s += "<Utlandsadress>"
                leaf(&s, "Utdelningsadress1", f.line1)
                leaf(&s, "Utdelningsadress2", f.line2)
                leaf(&s, "Utdelningsadress3", f.line3)
                leaf(&s, "Land", f.country)
                leaf(&s, "Utlandsadressdatum", f.date)
                s += "</Utlandsadress>"
            }
            s += "</Adresser>"
        }
        if let c = p.civilStatus {
            s += "\n        <Civilstand>"
            leaf(&s, "CivilstandKod", c.code)
            leaf(&s, "Civilstandsdatum", c.date)
            s += "</Civilstand>"
        }
        if let b = p.birth {
            s += "\n        <Fodelse>"
            if b.homeCounty != nil || b.homeParish != nil {
                s += "<HemortSverige>"
                leaf(&s, "FodelselanKod", b.homeCounty)
                leaf(&s, "Fodelseforsamling", b.homeParish)
                s += "</HemortSverige>"
            }
            if b.placeAbroad != nil || b.countryAbroad != nil {
                s += "<OrtUtlandet>"
                leaf(&s, "FodelseortUtland", b.placeAbroad)
                leaf(&s, "Fodelseland", b.countryAbroad)
                s += "</OrtUtlandet>"
            }
            s += "</Fodelse>"
        }
        if let i = p.immigration {
            s += "\n        <Invandring>"
            leaf(&s, "Invandringsdatum", i.date)
            s += "</Invandring>"
        }
        if let relations = p.relations {
            s += "\n        <Relationer>"
            for r in relations {
                s += "<Relation><RelationId>"
                leaf(&s, "PersonNr", r.personNumber)
                leaf(&s, "FodelsetidNr", r.birthTimeNumber)
                s += "</RelationId>"
                leaf(&s, "Relationstyp", r.type)
                leaf(&s, "RelationFromdatum", r.from)
                leaf(&s, "RelationTomdatum", r.to)
                s += "</Relation>"
            }
            s += "</Relationer>"
        }
        for c in p.citizenships {
            s += "\n        <Medborgarskap>"
            leaf(&s, "MedborgarskapslandKod", c.country)
            leaf(&s, "Medborgarskapsdatum", c.date)
            s += "</Medborgarskap>"
        }
        s += "\n      </Personpost>\n    </Folkbokforingspost>\n"
        return bytes(s)
    }

    private func postal(_ s: inout String, _ element: String, _ a: NavetPost.PostalAddress?) {
        guard let a else { return }
        s += "<" + element + ">"
        leaf(&s, "CareOf", a.careOf)
        leaf(&s, "Utdelningsadress1", a.line1)
        leaf(&s, "Utdelningsadress2", a.line2)
        leaf(&s, "PostNr", a.postalCode)
        leaf(&s, "Postort", a.city)
        s += "</" + element + ">"
    }

    private func leaf(_ s: inout String, _ element: String, _ value: String?) {
        guard let value else { return }
        s += "<" + element + ">" + XMLEscaping.text(value) + "</" + element + ">"
    }

    private func bytes(_ s: String) -> [UInt8] {
        guard encoding == .latin1 else { return Array(s.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if scalar.value <= 0xFF {
                out.append(UInt8(scalar.value))
            } else {
                out += Array("&#\(scalar.value);".utf8)
            }
        }
        return out
    }
}
