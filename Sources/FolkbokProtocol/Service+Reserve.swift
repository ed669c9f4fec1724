import FolkbokAudit
import FolkbokEngine
import FolkbokJSON
import FolkbokModel

/// `reserve.*`: national reserve identities issued here, local ones registered by a region,
/// their person data, and links to the person's real identity (docs/PROTOCOL.md, "Reserve methods").
extension Service {
    func reserveAssign(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["person"])
        let template = try Self.personFields(
            p.value("person"), id: Identity(kind: .reserve, value: "", issuer: Identity.nationalIssuer), today: today)
        if let year = template.birthDate?.year, !(1800...2099).contains(year) {
            throw .invalidParams("\"person.birthDate\" must be in 1800–2099 for a national reserve identity")
        }
        let session = try adminSession(session)
        let region = session.customer.homeRegion, reserves = engine.reserves
        return readModifyWrite(id: id, reading: []) { _ throws(RPCError) in
            guard let (identity, key) = reserves.freeNationalReserve(birthDate: template.birthDate, sex: template.sex)
            else {
                throw .conflict("every national reserve identity for this birth date and sex is taken")
            }
            var record = template
            record.id = identity
            record.region = region
            return WritePlan(mutations: [.upsert(key, record)], reserve: identity)
        }
    }

    func reserveRegister(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["value", "person"])
        let value = try p.requiredString("value")
        var fields = try Self.personFields(p.value("person"), id: Identity(kind: .reserve, value: value), today: today)
        let session = try adminSession(session)
        guard let region = session.customer.homeRegion else {
            throw .forbidden("local reserve identities are registered by a region")
        }
        let identity: Identity
        do { identity = try IdentityParser.localReserve(value, issuer: region, today: today) } catch {
            throw .invalidIdentity(error.message)
        }
        fields.id = identity
        fields.region = region
        let record = fields, reserves = engine.reserves
        return readModifyWrite(id: id, reading: []) { _ throws(RPCError) in
            guard reserves.localKey(issuer: region, value: value) == nil else {
                throw .conflict("this local reserve identity is already registered by the region")
            }
            return WritePlan(
                mutations: [.upsert(IdentityKey.localReserve(serial: reserves.nextLocalSerial()), record)],
                reserve: identity)
        }
    }

    func reserveUpdate(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["reserve", "person"])
        let asked = try IdentityParam(try p.required("reserve"), name: "reserve")
        guard let person = p.value("person") else { throw .invalidParams("\"person\" is required") }
        let fields = try Self.personFields(person, id: Identity(kind: .reserve, value: ""), today: today)
        _ = try adminSession(session)
        let (_, key) = try reserveKey(asked)
        return readModifyWrite(id: id, reading: [key]) { records throws(RPCError) in
            guard let old = records[0] else { throw .notFound("no such reserve identity") }
            var record = fields
            record.id = old.id
            record.birthDate = fields.birthDate ?? old.id.impliedBirthDate
            record.sex = fields.sex ?? old.id.impliedSex
            record.region = old.region
            record.contact = old.contact
            record.reserve = old.reserve
            return WritePlan(mutations: [.upsert(key, record)])
        }
    }

    func reserveLink(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["reserve", "to"])
        let asked = try IdentityParam(try p.required("reserve"), name: "reserve")
        let toParam = try IdentityParam(try p.required("to"), name: "to")
        _ = try adminSession(session)
        let target = try toParam.identity(today: today)
        guard target.kind != .reserve, let personKey = IdentityKey(target) else {
            throw .invalidIdentity("a reserve identity is linked to a personnummer or samordningsnummer")
        }
        let (_, key) = try reserveKey(asked)
        let time = config.clockMicros()
        return readModifyWrite(id: id, reading: [key, personKey]) { records throws(RPCError) in
            guard let reserve = records[0], let state = reserve.reserve else {
                throw .notFound("no such reserve identity")
            }
            guard var person = records[1] else { throw .notFound("no such person") }
            if let current = state.linkedTo {
                guard current == person.id else {
                    throw .conflict("the reserve identity is already linked to another person")
                }
                return WritePlan(mutations: [], version: reserve.version)
            }
            var linked = reserve
            linked.reserve = state.linking(person.id, at: time)
            if !person.reserveLinks.contains(reserve.id) { person.reserveLinks.append(reserve.id) }
            return WritePlan(mutations: [.upsert(personKey, person), .upsert(key, linked)])
        }
    }

    func reserveUnlink(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["reserve"])
        let asked = try IdentityParam(try p.required("reserve"), name: "reserve")
        _ = try adminSession(session)
        let (_, key) = try reserveKey(asked)
        let linkedKey = engine.reserves.linkedKey(of: key)
        let time = config.clockMicros()
        return readModifyWrite(id: id, reading: [key] + (linkedKey.map { [$0] } ?? [])) { records throws(RPCError) in
            guard let reserve = records[0], let state = reserve.reserve else {
                throw .notFound("no such reserve identity")
            }
            guard state.linkedTo != nil else { throw .conflict("the reserve identity is not linked") }
            var unlinked = reserve
            unlinked.reserve = state.unlinking(at: time)
            var mutations: [Mutation] = []
            if let linkedKey, records.count > 1, var person = records[1], person.id == state.linkedTo {
                person.reserveLinks.removeAll { $0 == reserve.id }
                mutations.append(.upsert(linkedKey, person))
            }
            return WritePlan(mutations: mutations + [.upsert(key, unlinked)])
        }
    }

    /// `reserve.get`: the reserve identity's own record with its link and link history; a
    /// disclosure like `person.get`, so it is logged.
    func reserveGet(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["reserve", "profile"])
        let asked = try IdentityParam(try p.required("reserve"), name: "reserve")
        let profile = try p.choice("profile", Profile.self)
        let session = try adminSession(session)
        try Self.checkProfile(profile, session)
        let stamp = AuditStamp(session: session, method: "reserve.get", profile: profile, time: config.clockMicros())
        let identity = try asked.identity(today: today)
        guard identity.kind == .reserve else { throw .invalidIdentity("not a reserve identity") }
        let key = engine.reserves.key(of: identity)
        return .lookup(keys: key.map { [$0] } ?? []) { records in
            guard let record = records.first ?? nil, let state = record.reserve else {
                return Rendered(
                    bytes: Reply.error(id: id, .notFound("no such reserve identity")),
                    entry: stamp.entry(person: identity, resolved: nil, .notFound), refusingFor: id)
            }
            var outcome = AuditOutcome.full
            let bytes = Reply.success(id: id) { w in
                var inner = JSONWriter(capacity: 512)
                outcome = Self.write(record, session: session, profile: profile, view: .record, into: &inner)
                guard outcome == .full else {
                    w.raw(inner.bytes)
                    return
                }
                w.raw(Array(inner.bytes.dropLast()))
                Self.writeLinks(state, into: &w)
                w.raw("}")
            }
            return Rendered(
                bytes: bytes, entry: stamp.entry(person: identity, answered: record, outcome), refusingFor: id)
        }
    }

    /// `,"linkedTo":…,"linkHistory":[…]` of a reserve identity.
    static func writeLinks(_ state: ReserveState, into w: inout JSONWriter) {
        w.raw(",\"linkedTo\":")
        if let to = state.linkedTo { RecordEncoder.identity(to, into: &w) } else { w.null() }
        w.raw(",\"linkHistory\":[")
        for (i, link) in state.history.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"to\":")
            RecordEncoder.identity(link.to, into: &w)
            w.raw(",\"linkedAt\":")
            w.string(Timestamp.format(link.linkedAt))
            w.raw(",\"unlinkedAt\":")
            w.stringOrNull(link.unlinkedAt.map(Timestamp.format))
            w.raw("}")
        }
        w.raw("]")
    }
}
