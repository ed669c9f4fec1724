import FolkbokModel

/// The decoding half of `RecordCodec`: reads fields in exactly the order `encode` writes them.
extension ByteReader {
    mutating func mutation() throws(CodecError) -> Mutation {
        let tagOffset = offset
        let tag = try u8("tag")
        let key = IdentityKey(raw: try u64("key"))
        switch tag {
        case CodecTables.removeTag:
            return .remove(key)
        case CodecTables.upsertTag:
            return .upsert(key, try record())
        case CodecTables.reserveUpsertTag:
            var r = try record()
            r.reserve = try reserveState()
            return .upsert(key, r)
        case CodecTables.detailedUpsertTag:
            var r = try record()
            if try bool("reserve") { r.reserve = try reserveState() }
            r.details = try details()
            r.history = try history()
            return .upsert(key, r)
        default:
            throw error(.invalidValue, "tag", at: tagOffset)
        }
    }

    private mutating func record() throws(CodecError) -> PersonRecord {
        let id = try identity("id")
        let name = PersonName(
            given: try string("name.given"), callName: try string("name.callName"),
            middle: try string("name.middle"), surname: try string("name.surname"))
        var r = PersonRecord(id: id, name: name)
        r.birthDate = try date("birthDate")
        let sexOffset = offset
        guard let sex = CodecTables.sex(try u8("sex")) else { throw error(.invalidValue, "sex", at: sexOffset) }
        r.sex = sex
        r.address = try address("address")
        r.specialAddress = try address("specialAddress")
        if try bool("foreignAddress") {
            let count = try varint("foreignAddress.lines")
            guard count <= bytes.count - offset else { throw error(.invalidValue, "foreignAddress.lines", at: offset) }
            var lines: [String] = []
            lines.reserveCapacity(count)
            for _ in 0..<count { lines.append(try requiredString("foreignAddress.line")) }
            r.foreignAddress = ForeignAddress(lines: lines, country: try string("foreignAddress.country"))
        }
        r.county = try string("county")
        r.municipality = try string("municipality")
        let protectionOffset = offset
        guard let protection = Protection(rawValue: try u8("protection")) else {
            throw error(.invalidValue, "protection", at: protectionOffset)
        }
        r.protection = protection
        r.test = try bool("test")
        let stateOffset = offset
        guard let state = LifeState(rawValue: try u8("status.state")) else {
            throw error(.invalidValue, "status.state", at: stateOffset)
        }
        let statusDate = try registerDate("status.date")
        let reasonOffset = offset
        guard let reason = CodecTables.reason(try u8("status.reason")) else {
            throw error(.invalidValue, "status.reason", at: reasonOffset)
        }
        r.status = PersonStatus(state: state, date: statusDate, reason: reason)
        r.region = try string("region")
        if try bool("contact") {
            let email = try string("contact.email")
            let phone = try string("contact.phone")
            let source = try requiredString("contact.consent.source")
            let dateOffset = offset
            guard let date = try date("contact.consent.date") else {
                throw error(.invalidValue, "contact.consent.date", at: dateOffset)
            }
            r.contact = ContactDetails(
                email: email, phone: phone, consent: Consent(source: source, date: date),
                version: try u64("contact.version"))
        }
        let linkCount = try varint("reserveLinks")
        guard linkCount <= bytes.count - offset else { throw error(.invalidValue, "reserveLinks", at: offset) }
        if linkCount > 0 {
            var links: [Identity] = []
            links.reserveCapacity(linkCount)
            for _ in 0..<linkCount { links.append(try identity("reserveLinks.identity")) }
            r.reserveLinks = links
        }
        r.version = try u64("version")
        return r
    }

    /// Reads what `RecordCodec.encodeReserve` writes, checking the link guarantees.
    mutating func reserveState() throws(CodecError) -> ReserveState {
        let start = offset
        var state = ReserveState()
        if try bool("reserve.linkedTo") { state.linkedTo = try identity("reserve.linkedTo") }
        let count = try varint("reserve.history")
        guard count <= bytes.count - offset else { throw error(.invalidValue, "reserve.history", at: offset) }
        for _ in 0..<count {
            let to = try identity("reserve.history.to")
            let linkedAt = Int64(bitPattern: try u64("reserve.history.linkedAt"))
            let unlinkedAt =
                try bool("reserve.history.unlinkedAt") ? Int64(bitPattern: try u64("reserve.history.unlinkedAt")) : nil
            state.history.append(ReserveLink(to: to, linkedAt: linkedAt, unlinkedAt: unlinkedAt))
        }
        guard state.isConsistent else { throw error(.invalidValue, "reserve", at: start) }
        return state
    }

    mutating func identity(_ field: StaticString) throws(CodecError) -> Identity {
        let kindOffset = offset
        guard let kind = IdentityKind(diskCode: try u8(field)) else {
            throw error(.invalidValue, field, at: kindOffset)
        }
        return Identity(kind: kind, value: try requiredString(field), issuer: try string(field))
    }

    private mutating func address(_ field: StaticString) throws(CodecError) -> PostalAddress? {
        guard try bool(field) else { return nil }
        return PostalAddress(
            careOf: try string(field), street: try string(field), postalCode: try string(field), city: try string(field)
        )
    }
}
