import FolkbokJSON
import FolkbokModel

/// The profile-P4 and P5 keys of a full record (docs/PROTOCOL.md "Profiles P4 and P5"), written
/// after the P3 keys: `civilStatus`, `citizenships`, `birthPlace`, `immigrationDate`,
/// `relations`, `referredTo` (each `null` or `[]` when unknown), then for P5 `history`.
extension RecordEncoder {
    static func writeDetails(_ d: PersonDetails?, into w: inout JSONCursor) {
        w.raw(",\"civilStatus\":")
        if let c = d?.civilStatus {
            w.raw("{\"code\":")
            w.string(c.code)
            w.raw(",\"date\":")
            date(c.date, into: &w)
            w.raw("}")
        } else {
            w.null()
        }
        w.raw(",\"citizenships\":[")
        for (i, c) in (d?.citizenships ?? []).enumerated() {
            w.raw(i == 0 ? "{\"country\":" : ",{\"country\":")
            w.string(c.country)
            w.raw(",\"date\":")
            date(c.date, into: &w)
            w.raw("}")
        }
        w.raw("],\"birthPlace\":")
        switch d?.birthPlace {
        case nil: w.null()
        case .sweden(let county, let parish)?:
            w.raw("{\"county\":")
            w.stringOrNull(county)
            w.raw(",\"parish\":")
            w.stringOrNull(parish)
            w.raw("}")
        case .abroad(let place, let country)?:
            w.raw("{\"place\":")
            w.stringOrNull(place)
            w.raw(",\"country\":")
            w.stringOrNull(country)
            w.raw("}")
        }
        w.raw(",\"immigrationDate\":")
        date(d?.immigrationDate, into: &w)
        w.raw(",\"relations\":[")
        for (i, rel) in (d?.relations ?? []).enumerated() {
            w.raw(i == 0 ? "{\"id\":" : ",{\"id\":")
            switch rel.id {
            case .identity(let id): identity(id, into: &w)
            case .birthTime(let value):
                w.raw("{\"kind\":\"birthTime\",\"value\":")
                w.string(value)
                w.raw("}")
            }
            w.raw(",\"type\":")
            w.string(rel.type.rawValue)
            w.raw(",\"from\":")
            date(rel.from, into: &w)
            w.raw(",\"to\":")
            date(rel.to, into: &w)
            w.raw("}")
        }
        w.raw("],\"referredTo\":")
        if let id = d?.referredTo { identity(id, into: &w) } else { w.null() }
    }

    static func writeHistory(_ history: [HistoryEntry], into w: inout JSONCursor) {
        w.raw(",\"history\":[")
        for (i, e) in history.enumerated() {
            w.raw(i == 0 ? "{\"field\":" : ",{\"field\":")
            w.string(e.field.rawValue)
            w.raw(",\"value\":")
            switch e.value {
            case .name(let n):
                w.raw("{\"given\":")
                w.stringOrNull(n.given)
                w.raw(",\"callName\":")
                w.stringOrNull(n.callName)
                w.raw(",\"middle\":")
                w.stringOrNull(n.middle)
                w.raw(",\"surname\":")
                w.stringOrNull(n.surname)
                w.raw("}")
            case .address(let a), .specialAddress(let a): address(a, into: &w)
            case .foreignAddress(let f): foreignAddress(f, into: &w)
            case .municipality(let code): w.string(code)
            }
            w.raw(",\"until\":")
            date(e.until, into: &w)
            w.raw("}")
        }
        w.raw("]")
    }

    static func foreignAddress(_ f: ForeignAddress?, into w: inout JSONCursor) {
        guard let f else { return w.null() }
        w.raw("{\"lines\":[")
        for (i, line) in f.lines.enumerated() {
            if i > 0 { w.raw(",") }
            w.string(line)
        }
        w.raw("],\"country\":")
        w.stringOrNull(f.country)
        w.raw("}")
    }

    /// Bytes `writeDetails` and `writeHistory` take at most: every text escaped at worst, plus
    /// 160 bytes of keys, dates and codes per part.
    static func detailsBound(_ d: PersonDetails?, _ history: [HistoryEntry]) -> Int {
        var text = 0, parts = 2
        if let d {
            text += d.civilStatus?.code.utf8.count ?? 0
            for c in d.citizenships { text += c.country.utf8.count }
            switch d.birthPlace {
            case nil: break
            case .sweden(let a, let b)?, .abroad(let a, let b)?: text += (a?.utf8.count ?? 0) + (b?.utf8.count ?? 0)
            }
            for rel in d.relations {
                switch rel.id {
                case .identity(let id): text += id.value.utf8.count + (id.issuer?.utf8.count ?? 0)
                case .birthTime(let value): text += value.utf8.count
                }
            }
            text += (d.referredTo?.value.utf8.count ?? 0) + (d.referredTo?.issuer?.utf8.count ?? 0)
            parts += d.citizenships.count + d.relations.count + 4
        }
        for e in history {
            switch e.value {
            case .name(let n):
                for s in [n.given, n.callName, n.middle, n.surname] { text += s?.utf8.count ?? 0 }
            case .address(let a), .specialAddress(let a):
                for s in [a.careOf, a.street, a.postalCode, a.city] { text += s?.utf8.count ?? 0 }
            case .foreignAddress(let f):
                for line in f.lines { text += line.utf8.count }
                text += f.country?.utf8.count ?? 0
                parts += f.lines.count
            case .municipality(let code): text += code.utf8.count
            }
            parts += 1
        }
        return JSONCursor.quotedBound(text) + 160 * parts
    }
}
