import FolkbokAudit
import FolkbokJSON
import FolkbokModel

/// `view` of `person.get`.
enum RecordView: String { case record, fhir }

/// An identity param after shape checks, before identity checks (docs/PROTOCOL.md puts -32602 first, 4022 later).
enum IdentityParam {
    case text(String)
    case local(value: String, issuer: String)

    init(_ value: JSONValue, name: String) throws(RPCError) {
        switch value {
        case .string(let s): self = .text(s)
        case .object(let o):
            let p = try Params(o, allowed: ["kind", "value", "issuer"])
            guard try p.requiredString("kind") == "reserve" else {
                throw .invalidParams("\"\(name).kind\" must be \"reserve\"")
            }
            self = .local(value: try p.requiredString("value"), issuer: try p.requiredString("issuer"))
        default: throw .invalidParams("\"\(name)\" must be a string or an identity object")
        }
    }

    /// The identity, or 4022.
    func identity(today: CivilDate) throws(RPCError) -> Identity {
        do {
            switch self {
            case .text(let s): return try IdentityParser.parse(s, today: today)
            case .local(let value, let issuer):
                return try IdentityParser.localReserve(value, issuer: issuer, today: today)
            }
        } catch {
            throw .invalidIdentity(error.message)
        }
    }
}

extension Service {
    func personGet(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["id", "profile", "view", "followLinks"])
        guard let raw = p.value("id") else { throw .invalidParams("\"id\" is required") }
        let asked = try IdentityParam(raw, name: "id")
        let profile = try p.choice("profile", Profile.self)
        let view = try p.choice("view", RecordView.self) ?? .record
        let follow = try p.bool("followLinks") ?? true
        return try personGet(id: id, asked, profile: profile, view: view, follow: follow, session: session)
    }

    /// `person.get` once its params are read (by `Params`, or by `FastGet` from the bytes).
    func personGet(
        id: JSONValue, _ asked: IdentityParam, profile: Profile?, view: RecordView, follow: Bool, session: Session?
    ) throws(RPCError) -> Outcome {
        guard let session else { throw .unauthenticated }
        try Self.checkProfile(profile, session)
        let stamp = AuditStamp(session: session, caller: session.getCaller(profile), time: config.clockMicros())
        if session.isOperator { return forbidden(id: id, stamp, [try? asked.identity(today: today)]) }
        let identity = try asked.identity(today: today)
        let plan = GetPlan(id: id, identity: identity, stamp: stamp, profile: profile)
        // The common case, a personal number in the record view, renders from the packed row.
        if view == .record, identity.kind != .reserve, let key = IdentityKey(identity) {
            return .packedLookup(key: key, plan: plan)
        }
        let lookup = LinkedLookup(identity, follow: follow, reserves: engine.reserves)
        if view == .record && lookup.keys.count == 1 { return .packedLookup(key: lookup.keys[0], plan: plan) }
        return .lookup(keys: lookup.keys) { records in
            Self.answerGet(
                lookup.answer(records[...]), id: id, identity: identity, stamp: stamp, profile: profile,
                fhir: view == .fhir)
        }
    }

    /// The answer to `person.get` for what was found (nil: not found) and its access-log entry.
    static func answerGet<R: RecordSource>(
        _ found: R?, id: JSONValue, identity: Identity, stamp: AuditStamp, profile: Profile?, fhir: Bool
    ) -> Rendered {
        var w = JSONWriter(capacity: 1024)
        let entry = answerGet(found, id: id, identity: identity, stamp: stamp, profile: profile, fhir: fhir, into: &w)
        return Rendered(bytes: w.bytes, entry: entry, refusingFor: id)
    }

    /// Appends the answer to `w` and answers its access-log entry.
    static func answerGet<R: RecordSource>(
        _ found: R?, id: JSONValue, identity: Identity, stamp: AuditStamp, profile: Profile?, fhir: Bool,
        into w: inout JSONWriter
    ) -> AuditEntry {
        guard let found else {
            Reply.error(id: id, .notFound, into: &w)
            return stamp.entry(person: identity, resolved: nil, .notFound)
        }
        var outcome = AuditOutcome.full
        Reply.success(id: id, into: &w) { w in
            if fhir, let record = found as? PersonRecord {
                outcome = write(record, session: stamp.session, profile: profile, view: .fhir, into: &w)
            } else {
                outcome = writeRecord(found, session: stamp.session, profile: profile, into: &w)
            }
        }
        return stamp.entry(person: identity, answered: found, outcome)
    }

    func personGetMany(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["ids", "profile", "view", "followLinks"])
        guard case .array(let rawIDs)? = p.value("ids") else { throw .invalidParams("\"ids\" must be a list") }
        guard (1...config.maxIdsPerRequest).contains(rawIDs.count) else {
            throw .invalidParams("\"ids\" must hold 1 to \(config.maxIdsPerRequest) identities")
        }
        let asked = try rawIDs.map { (v) throws(RPCError) in try IdentityParam(v, name: "ids[]") }
        let profile = try p.choice("profile", Profile.self)
        let view = try p.choice("view", RecordView.self) ?? .record
        let follow = try p.bool("followLinks") ?? true
        guard let session else { throw .unauthenticated }
        try Self.checkProfile(profile, session)
        let stamp = AuditStamp(session: session, method: "person.getMany", profile: profile, time: config.clockMicros())
        let today = self.today
        if session.isOperator { return forbidden(id: id, stamp, asked.map { try? $0.identity(today: today) }) }
        var keys: [IdentityKey] = []
        /// Per input: the identity, its lookup and where its keys start in `keys`, or why there is none.
        var slots: [Result<(Identity, LinkedLookup, Int), RPCError>] = []
        for item in asked {
            do {
                let identity = try item.identity(today: today)
                let lookup = LinkedLookup(identity, follow: follow, reserves: engine.reserves)
                slots.append(.success((identity, lookup, keys.count)))
                keys += lookup.keys
            } catch {
                slots.append(.failure(error))
            }
        }
        let resultSlots = slots
        return .lookup(keys: keys) { records in
            var audit: [AuditEntry] = []
            let bytes = Reply.success(id: id) { w in
                w.raw("{\"results\":[")
                for (i, slot) in resultSlots.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.raw("{\"id\":")
                    w.value(rawIDs[i])
                    switch slot {
                    case .failure(let error):
                        w.raw(",\"error\":")
                        Reply.errorObject(error, into: &w)
                    case .success(let (identity, lookup, at)):
                        if let record = lookup.answer(records[at..<(at + lookup.keys.count)]) {
                            w.raw(",\"record\":")
                            let outcome = Self.write(record, session: session, profile: profile, view: view, into: &w)
                            audit.append(stamp.entry(person: identity, answered: record, outcome))
                        } else {
                            w.raw(",\"error\":")
                            Reply.errorObject(.notFound, into: &w)
                            audit.append(stamp.entry(person: identity, resolved: nil, .notFound))
                        }
                    }
                    w.raw("}")
                }
                w.raw("]}")
            }
            return Rendered(bytes: bytes, audit: audit, ifAuditFails: Reply.error(id: id, AuditStamp.auditUnavailable))
        }
    }

    /// A refused person-data request (an operator session): 4003, logged as `forbidden` for
    /// every identity that could be read.
    /// 4003 when the session's customer may not ask for `profile` (P4 and P5 need the
    /// customer's `profiles` key): thrown before any lookup, so nothing is read or logged.
    static func checkProfile(_ profile: Profile?, _ session: Session) throws(RPCError) {
        guard let profile, profile.needsGrant, !session.customer.allows(profile) else { return }
        throw profile == .P4
            ? .forbidden("profile P4 is not granted to this customer")
            : .forbidden("profile P5 is not granted to this customer")
    }

    func forbidden(id: JSONValue, _ stamp: AuditStamp, _ identities: [Identity?]) -> Outcome {
        let refusal = Reply.error(id: id, .forbidden("an operator session reads no person data"))
        let entries = identities.compactMap { $0 }.map { stamp.entry(person: $0, resolved: nil, .forbidden) }
        return .lookup(keys: []) { _ in Rendered(bytes: refusal, audit: entries, ifAuditFails: refusal) }
    }

    /// Writes the record as the session may see it; answers what was shown.
    @discardableResult
    static func write(
        _ record: PersonRecord, session: Session, profile: Profile?, view: RecordView, into w: inout JSONWriter
    ) -> AuditOutcome {
        switch view {
        case .record: return writeRecord(record, session: session, profile: profile, into: &w)
        case .fhir:
            let disclosure = DisclosureView.of(record.protection, contract: session.contract ?? .normal)
            let showContact = disclosure == .full && (session.purpose?.allowsContactDetails ?? false)
            FHIREncoder.write(record, view: disclosure, profile: profile, showContact: showContact, into: &w)
            return disclosure.isLimited ? .limited : .full
        }
    }

    /// Writes the record view of any record source as the session may see it; answers what
    /// was shown.
    static func writeRecord<R: RecordSource>(_ record: R, session: Session, profile: Profile?, into w: inout JSONWriter)
        -> AuditOutcome
    {
        let disclosure = DisclosureView.of(record.protection, contract: session.contract ?? .normal)
        let showContact = disclosure == .full && (session.purpose?.allowsContactDetails ?? false)
        RecordEncoder.write(record, view: disclosure, profile: profile, showContact: showContact, into: &w)
        return disclosure.isLimited ? .limited : .full
    }
}

/// What a one-key `person.get` (record view) needs to answer once its record is read: a value,
/// so the common path allocates no closure.
public struct GetPlan: Sendable {
    let id: JSONValue
    let identity: Identity
    let stamp: AuditStamp
    let profile: Profile?
    /// Whether the answer and its refusal end with the line's newline (a single call's line).
    var terminated = false

    /// The answer for what was found (nil: not found) and its access-log entry.
    public func render<R: RecordSource>(_ found: R?) -> Rendered {
        var r = Service.answerGet(found, id: id, identity: identity, stamp: stamp, profile: profile, fhir: false)
        if terminated { r.terminate() }
        return r
    }

    /// As `render`, appending the answer to `w`; answers the access-log entry.
    public func render<R: RecordSource>(_ found: R?, into w: inout JSONWriter) -> AuditEntry {
        let entry = Service.answerGet(
            found, id: id, identity: identity, stamp: stamp, profile: profile, fhir: false, into: &w)
        if terminated { w.bytes.append(0x0A) }
        return entry
    }

    /// What is sent instead when the access log cannot take the entry.
    var refusal: Refusal { .unavailable(id: id, terminated: terminated) }
}
