import FolkbokModel

/// The profile-P4 details and P5 history of a record under tag 4 (Snapshots/FORMAT.md,
/// "Record encoding"): the upsert, a reserve state behind a presence byte, the details behind a
/// presence byte, then the history. Records without details or history keep tags 1 and 3, so
/// logs written before tag 4 existed read unchanged.
extension RecordCodec {
    static func encodeDetails(_ d: PersonDetails?, into bytes: inout [UInt8]) {
        guard let d else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        if let c = d.civilStatus {
            bytes.append(1)
            bytes.appendString(c.code)
            bytes.appendLE(c.date?.packed ?? 0)
        } else {
            bytes.append(0)
        }
        bytes.appendVarint(d.citizenships.count)
        for c in d.citizenships {
            bytes.appendString(c.country)
            bytes.appendLE(c.date?.packed ?? 0)
        }
        switch d.birthPlace {
        case nil: bytes.append(0)
        case .sweden(let county, let parish)?:
            bytes.append(1)
            bytes.appendString(county)
            bytes.appendString(parish)
        case .abroad(let place, let country)?:
            bytes.append(2)
            bytes.appendString(place)
            bytes.appendString(country)
        }
        bytes.appendLE(d.immigrationDate?.packed ?? 0)
        bytes.appendVarint(d.relations.count)
        for r in d.relations {
            switch r.id {
            case .identity(let id):
                bytes.append(1)
                encodeIdentity(id, into: &bytes)
            case .birthTime(let value):
                bytes.append(2)
                bytes.appendString(value)
            }
            bytes.append(CodecTables.code(r.type))
            bytes.appendLE(r.from?.packed ?? 0)
            bytes.appendLE(r.to?.packed ?? 0)
        }
        if let id = d.referredTo {
            bytes.append(1)
            encodeIdentity(id, into: &bytes)
        } else {
            bytes.append(0)
        }
    }

    static func encodeHistory(_ history: [HistoryEntry], into bytes: inout [UInt8]) {
        bytes.appendVarint(history.count)
        for e in history {
            bytes.append(e.field.code)
            switch e.value {
            case .name(let n):
                for s in [n.given, n.callName, n.middle, n.surname] { bytes.appendString(s) }
            case .address(let a), .specialAddress(let a):
                for s in [a.careOf, a.street, a.postalCode, a.city] { bytes.appendString(s) }
            case .foreignAddress(let f):
                bytes.appendVarint(f.lines.count)
                for line in f.lines { bytes.appendString(line) }
                bytes.appendString(f.country)
            case .municipality(let code):
                bytes.appendString(code)
            }
            bytes.appendLE(e.until.packed)
        }
    }
}

extension ByteReader {
    mutating func details() throws(CodecError) -> PersonDetails? {
        guard try bool("details") else { return nil }
        var d = PersonDetails()
        if try bool("details.civilStatus") {
            let at = offset
            let code = try requiredString("details.civilStatus.code")
            guard PersonDetails.CivilStatus.codes.contains(code) else {
                throw error(.invalidValue, "details.civilStatus.code", at: at)
            }
            d.civilStatus = PersonDetails.CivilStatus(code: code, date: try registerDate("details.civilStatus.date"))
        }
        let citizenships = try varint("details.citizenships")
        guard citizenships <= bytes.count - offset else {
            throw error(.invalidValue, "details.citizenships", at: offset)
        }
        for _ in 0..<citizenships {
            let country = try requiredString("details.citizenship.country")
            d.citizenships.append(
                PersonDetails.Citizenship(country: country, date: try registerDate("details.citizenship.date")))
        }
        let placeAt = offset
        switch try u8("details.birthPlace") {
        case 0: break
        case 1:
            d.birthPlace = .sweden(county: try string("details.birthPlace"), parish: try string("details.birthPlace"))
        case 2:
            d.birthPlace = .abroad(place: try string("details.birthPlace"), country: try string("details.birthPlace"))
        default: throw error(.invalidValue, "details.birthPlace", at: placeAt)
        }
        d.immigrationDate = try registerDate("details.immigrationDate")
        let relations = try varint("details.relations")
        guard relations <= bytes.count - offset else { throw error(.invalidValue, "details.relations", at: offset) }
        for _ in 0..<relations {
            let kindAt = offset
            let person: PersonDetails.RelatedPerson
            switch try u8("details.relation.kind") {
            case 1: person = .identity(try identity("details.relation.id"))
            case 2: person = .birthTime(try requiredString("details.relation.id"))
            default: throw error(.invalidValue, "details.relation.kind", at: kindAt)
            }
            let typeAt = offset
            guard let type = CodecTables.relationType(try u8("details.relation.type")) else {
                throw error(.invalidValue, "details.relation.type", at: typeAt)
            }
            d.relations.append(
                PersonDetails.Relation(
                    id: person, type: type, from: try registerDate("details.relation.from"),
                    to: try registerDate("details.relation.to")))
        }
        if try bool("details.referredTo") { d.referredTo = try identity("details.referredTo") }
        return d
    }

    mutating func history() throws(CodecError) -> [HistoryEntry] {
        let count = try varint("history")
        guard count <= bytes.count - offset else { throw error(.invalidValue, "history", at: offset) }
        var entries: [HistoryEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let fieldAt = offset
            guard let field = HistoryField(code: try u8("history.field")) else {
                throw error(.invalidValue, "history.field", at: fieldAt)
            }
            let value: HistoryValue
            switch field {
            case .name:
                value = .name(
                    PersonName(
                        given: try string("history.name"), callName: try string("history.name"),
                        middle: try string("history.name"), surname: try string("history.name")))
            case .address, .specialAddress:
                let a = PostalAddress(
                    careOf: try string("history.address"), street: try string("history.address"),
                    postalCode: try string("history.address"), city: try string("history.address"))
                value = field == .address ? .address(a) : .specialAddress(a)
            case .foreignAddress:
                let lines = try varint("history.foreignAddress")
                guard lines <= bytes.count - offset else {
                    throw error(.invalidValue, "history.foreignAddress", at: offset)
                }
                var texts: [String] = []
                for _ in 0..<lines { texts.append(try requiredString("history.foreignAddress")) }
                value = .foreignAddress(ForeignAddress(lines: texts, country: try string("history.foreignAddress")))
            case .municipality:
                value = .municipality(try requiredString("history.municipality"))
            }
            let dateAt = offset
            guard let until = try date("history.until") else { throw error(.invalidValue, "history.until", at: dateAt) }
            entries.append(HistoryEntry(value: value, until: until))
        }
        return entries
    }
}
