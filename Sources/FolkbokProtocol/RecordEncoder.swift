import FolkbokJSON
import FolkbokModel

/// Writes a person record as docs/PROTOCOL.md's record shape, applying the disclosure rule.
///
/// Guarantees: a full record has exactly the record keys its profile includes, in the order of
/// the protocol's example (`contact` only when `showContact`, then `null` when the person has
/// none; for P4 and P5 the P4 keys after `contact`, then for P5 `history`, before
/// `reserveLinks`); a limited record has exactly the disclosure table's keys plus
/// `"limited": true` and never contact details, P4 details or history, whatever the profile.
public enum RecordEncoder {
    public static func write<R: RecordSource>(
        _ r: R, view: DisclosureView, profile: Profile?, showContact: Bool, into writer: inout JSONWriter
    ) {
        let extra = Extra(profile)
        writer.withWindow(reserving: bound(r, extra: extra)) { w in
            write(r, view: view, profile: profile, showContact: showContact, extra: extra, into: &w)
        }
    }

    /// The keys beyond P3 a full record carries: P4's details, P5's history.
    struct Extra {
        var details: Bool
        var history: Bool

        init(details: Bool, history: Bool) {
            self.details = details
            self.history = history
        }

        init(_ profile: Profile?) {
            details = Profile.includesDetails(profile)
            history = Profile.includesHistory(profile)
        }
    }

    /// Bytes `write` takes at most for `r` with `extra`: every text escaped at worst, plus the
    /// keys, codes, dates and numbers (under 1 KiB in all). Reads `details` and `history` only
    /// when `extra` asks for them (a packed person decodes its details on each read).
    static func bound<R: RecordSource>(_ r: R, extra: Extra) -> Int {
        var text = r.id.value.utf8.count + (r.id.issuer?.utf8.count ?? 0)
        text += r.textBytes
        if let a = r.specialAddress {
            text +=
                (a.careOf?.utf8.count ?? 0) + (a.street?.utf8.count ?? 0) + (a.postalCode?.utf8.count ?? 0)
                + (a.city?.utf8.count ?? 0)
        }
        var parts = 0
        if let f = r.foreignAddress {
            for line in f.lines { text += line.utf8.count }
            text += f.country?.utf8.count ?? 0
            parts += f.lines.count
        }
        for link in r.reserveLinks {
            text += link.value.utf8.count + (link.issuer?.utf8.count ?? 0)
            parts += 2
        }
        if extra.details || extra.history {
            text += detailsBound(extra.details ? r.details : nil, extra.history ? r.history : [])
        }
        return 1024 + JSONCursor.quotedBound(text) + 64 * parts
    }

    static func write<R: RecordSource>(
        _ r: R, view: DisclosureView, profile: Profile?, showContact: Bool, extra: Extra, into w: inout JSONCursor
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
            w.plainString(r.protection.staticWireName)
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
        date(r.birthDate, into: &w)
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
        w.plainString(r.protection.staticWireName)
        w.raw(",\"test\":")
        w.bool(r.test)
        let status = r.status
        w.raw(",\"status\":{\"state\":")
        w.plainString(status.state.staticWireName)
        w.raw(",\"date\":")
        date(status.date, into: &w)
        w.raw(",\"reason\":")
        w.stringOrNull(status.reason?.rawValue)
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
                date(c.consentDate, into: &w)
                w.raw("},\"version\":")
                w.uint(c.version)
                w.raw("}")
            } else {
                w.null()
            }
        }
        if extra.details { writeDetails(r.details, into: &w) }
        if extra.history { writeHistory(r.history, into: &w) }
        w.raw(",\"reserveLinks\":[")
        for (i, link) in r.reserveLinks.enumerated() {
            if i > 0 { w.raw(",") }
            identity(link, into: &w)
        }
        w.raw("],\"version\":")
        w.uint(r.version)
        w.raw("}")
    }

    /// The whole full view (what `generate` writes and `import` reads): every P3 key, the P4
    /// keys when the record has P4 details (a record without them reads the same without the
    /// keys, so lines without P4 data stay as they were), never the history (folkbok writes that).
    public static func fullView(_ r: PersonRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        let extra = Extra(details: r.details != nil, history: false)
        w.withWindow(reserving: bound(r, extra: extra)) { c in
            write(r, view: .full, profile: nil, showContact: true, extra: extra, into: &c)
        }
        return w.bytes
    }

    /// As `identity(_:into:)` on a cursor, for writers outside a record (one window).
    public static func identity(_ id: Identity, into w: inout JSONWriter) {
        let text = id.kind.rawValue.utf8.count + id.value.utf8.count + (id.issuer?.utf8.count ?? 0)
        w.withWindow(reserving: 64 + JSONCursor.quotedBound(text) + 4) { identity(id, into: &$0) }
    }

    static func date(_ d: CivilDate?, into w: inout JSONCursor) {
        guard let d else { return w.null() }
        if d.year <= 9999 { w.isoDate(year: d.year, month: d.month, day: d.day) } else { w.string(d.iso) }
    }

    static func date(_ d: RegisterDate?, into w: inout JSONCursor) {
        guard let d else { return w.null() }
        if d.isComplete { w.isoDate(year: d.year, month: d.month, day: d.day) } else { w.string(d.iso) }
    }

    static func identity(_ id: Identity, into w: inout JSONCursor) {
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

    static func address(_ a: PostalAddress?, into w: inout JSONCursor) {
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

    /// As `address(_:into:)` on a cursor, for writers outside a record (one window).
    static func address(_ a: PostalAddress?, into w: inout JSONWriter) {
        let text = [a?.careOf, a?.street, a?.postalCode, a?.city].reduce(0) { $0 + ($1?.utf8.count ?? 0) }
        w.withWindow(reserving: 64 + JSONCursor.quotedBound(text) + 8) { address(a, into: &$0) }
    }
}
