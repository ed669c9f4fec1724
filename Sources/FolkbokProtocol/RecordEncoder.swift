import FolkbokJSON
import FolkbokModel

/// Writes a person record as docs/PROTOCOL.md's record shape, applying the disclosure rule.
///
/// Guarantees: a full record has exactly the record keys its profile includes, in the order of
/// the protocol's example (`contact` only when `showContact`, then `null` when the person has
/// none); a limited record has exactly the disclosure table's keys plus `"limited": true` and
/// never contact details.
public enum RecordEncoder {
    public static func write<R: RecordSource>(
        _ r: R, view: DisclosureView, profile: Profile?, showContact: Bool, into w: inout JSONWriter
    ) {
        func text(_ field: RecordText) { r.withText(field) { w.stringOrNull(utf8: $0) } }
        w.raw("{\"id\":")
        identity(r.id, into: &w)
        if view.isLimited {
            w.raw(",\"name\":{\"given\":")
            text(.given)
            w.raw(",\"surname\":")
            text(.surname)
            w.raw("}")
            if view == .limitedSekretess {
                w.raw(",\"county\":")
                text(.county)
                w.raw(",\"sex\":")
                w.stringOrNull(r.sex?.rawValue)
            }
            w.raw(",\"protection\":")
            w.string(r.protection.wireName)
            w.raw(",\"limited\":true}")
            return
        }
        let addressLevel = Profile.includesAddress(profile)
        w.raw(",\"name\":{\"given\":")
        text(.given)
        w.raw(",\"callName\":")
        text(.callName)
        w.raw(",\"middle\":")
        text(.middle)
        w.raw(",\"surname\":")
        text(.surname)
        w.raw("},\"birthDate\":")
        w.stringOrNull(r.birthDate?.iso)
        w.raw(",\"sex\":")
        w.stringOrNull(r.sex?.rawValue)
        if addressLevel {
            w.raw(",\"address\":")
            if r.hasAddress {
                w.raw("{\"careOf\":")
                text(.careOf)
                w.raw(",\"street\":")
                text(.street)
                w.raw(",\"postalCode\":")
                text(.postalCode)
                w.raw(",\"city\":")
                text(.city)
                w.raw("}")
            } else {
                w.null()
            }
            w.raw(",\"specialAddress\":")
            address(r.specialAddress, into: &w)
            w.raw(",\"foreignAddress\":")
            if let f = r.foreignAddress {
                w.raw("{\"lines\":[")
                for (i, line) in f.lines.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.string(line)
                }
                w.raw("],\"country\":")
                w.stringOrNull(f.country)
                w.raw("}")
            } else {
                w.null()
            }
        }
        w.raw(",\"county\":")
        text(.county)
        if addressLevel {
            w.raw(",\"municipality\":")
            text(.municipality)
        }
        w.raw(",\"protection\":")
        w.string(r.protection.wireName)
        w.raw(",\"test\":")
        w.bool(r.test)
        w.raw(",\"status\":{\"state\":")
        w.string(r.status.state.wireName)
        w.raw(",\"date\":")
        w.stringOrNull(r.status.date?.iso)
        w.raw(",\"reason\":")
        w.stringOrNull(r.status.reason?.rawValue)
        w.raw("}")
        if addressLevel {
            w.raw(",\"region\":")
            text(.region)
        }
        if showContact && Profile.includesContact(profile) {
            w.raw(",\"contact\":")
            if let c = r.contactStamp {
                w.raw("{\"email\":")
                text(.email)
                w.raw(",\"phone\":")
                text(.phone)
                w.raw(",\"consent\":{\"source\":")
                text(.consentSource)
                w.raw(",\"date\":")
                w.string(c.consentDate.iso)
                w.raw("},\"version\":")
                w.uint(c.version)
                w.raw("}")
            } else {
                w.null()
            }
        }
        w.raw(",\"reserveLinks\":[")
        for (i, link) in r.reserveLinks.enumerated() {
            if i > 0 { w.raw(",") }
            identity(link, into: &w)
        }
        w.raw("],\"version\":")
        w.uint(r.version)
        w.raw("}")
    }

    /// The whole full view (what `generate` writes and `import` reads).
    public static func fullView(_ r: PersonRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        write(r, view: .full, profile: nil, showContact: true, into: &w)
        return w.bytes
    }

    public static func identity(_ id: Identity, into w: inout JSONWriter) {
        w.raw("{\"kind\":")
        w.string(id.kind.rawValue)
        w.raw(",\"value\":")
        w.string(id.value)
        if id.kind == .reserve {
            w.raw(",\"issuer\":")
            w.stringOrNull(id.issuer)
        }
        w.raw("}")
    }

    static func address(_ a: PostalAddress?, into w: inout JSONWriter) {
        guard let a else { return w.null() }
        w.raw("{\"careOf\":")
        w.stringOrNull(a.careOf)
        w.raw(",\"street\":")
        w.stringOrNull(a.street)
        w.raw(",\"postalCode\":")
        w.stringOrNull(a.postalCode)
        w.raw(",\"city\":")
        w.stringOrNull(a.city)
        w.raw("}")
    }
}
