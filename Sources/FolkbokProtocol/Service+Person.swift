import FolkbokJSON
import FolkbokModel

/// `view` of `person.get`.
enum RecordView: String { case record, fhir }

/// An identity param after shape checks, before identity checks (PROTOCOL.md puts -32602 first, 4022 later).
enum IdentityParam {
    case text(String)
    case local(value: String, issuer: String)

    init(_ value: JSONValue, name: String) throws(RPCError) {
        switch value {
        case .string(let s): self = .text(s)
        case .object(let o):
            let p = try Params(o, allowed: ["kind", "value", "issuer"])
            guard try p.requiredString("kind") == "reserve" else { throw .invalidParams("\"\(name).kind\" must be \"reserve\"") }
            self = .local(value: try p.requiredString("value"), issuer: try p.requiredString("issuer"))
        default: throw .invalidParams("\"\(name)\" must be a string or an identity object")
        }
    }

    /// The packed key, or 4022; nil for identities folkbok cannot hold yet (answered as not found).
    func key(today: CivilDate) throws(RPCError) -> IdentityKey? {
        do {
            switch self {
            case .text(let s): return IdentityKey(try IdentityParser.parse(s, today: today))
            case .local(let value, let issuer): return IdentityKey(try IdentityParser.localReserve(value, issuer: issuer, today: today))
            }
        } catch {
            throw .invalidIdentity(error.message)
        }
    }
}

extension Service {
    func personGet(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> CallResult {
        let p = try Params(params, allowed: ["id", "profile", "view", "followLinks"])
        guard let raw = p.value("id") else { throw .invalidParams("\"id\" is required") }
        let identity = try IdentityParam(raw, name: "id")
        let profile = try p.choice("profile", Profile.self)
        let view = try p.choice("view", RecordView.self) ?? .record
        _ = try p.bool("followLinks")
        let session = try personSession(session)
        guard let key = try identity.key(today: today) else { return .immediate(Reply.error(id: id, .notFound)) }
        return .lookup(keys: [key]) { records in
            guard let record = records[0] else { return Reply.error(id: id, .notFound) }
            return Reply.success(id: id) { w in Self.write(record, session: session, profile: profile, view: view, into: &w) }
        }
    }

    func personGetMany(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> CallResult {
        let p = try Params(params, allowed: ["ids", "profile", "view", "followLinks"])
        guard case .array(let rawIDs)? = p.value("ids") else { throw .invalidParams("\"ids\" must be a list") }
        guard (1...config.maxIdsPerRequest).contains(rawIDs.count) else {
            throw .invalidParams("\"ids\" must hold 1 to \(config.maxIdsPerRequest) identities")
        }
        let identities = try rawIDs.map { (v) throws(RPCError) in try IdentityParam(v, name: "ids[]") }
        let profile = try p.choice("profile", Profile.self)
        let view = try p.choice("view", RecordView.self) ?? .record
        _ = try p.bool("followLinks")
        let session = try personSession(session)
        let today = self.today
        var keys: [IdentityKey] = []
        var slots: [Result<Int?, RPCError>] = []
        for identity in identities {
            do {
                if let key = try identity.key(today: today) {
                    slots.append(.success(keys.count))
                    keys.append(key)
                } else {
                    slots.append(.success(nil))
                }
            } catch {
                slots.append(.failure(error))
            }
        }
        let resultSlots = slots
        return .lookup(keys: keys) { records in
            Reply.success(id: id) { w in
                w.raw("{\"results\":[")
                for (i, slot) in resultSlots.enumerated() {
                    if i > 0 { w.raw(",") }
                    w.raw("{\"id\":")
                    w.value(rawIDs[i])
                    switch slot {
                    case .failure(let error):
                        w.raw(",\"error\":")
                        Reply.errorObject(error, into: &w)
                    case .success(let at):
                        if let at, let record = records[at] {
                            w.raw(",\"record\":")
                            Self.write(record, session: session, profile: profile, view: view, into: &w)
                        } else {
                            w.raw(",\"error\":")
                            Reply.errorObject(.notFound, into: &w)
                        }
                    }
                    w.raw("}")
                }
                w.raw("]}")
            }
        }
    }

    static func write(_ record: PersonRecord, session: Session, profile: Profile?, view: RecordView, into w: inout JSONWriter) {
        let disclosure = DisclosureView.of(record.protection, contract: session.contract ?? .normal)
        let showContact = disclosure == .full && (session.purpose?.allowsContactDetails ?? false)
        switch view {
        case .record: RecordEncoder.write(record, view: disclosure, profile: profile, showContact: showContact, into: &w)
        case .fhir: FHIREncoder.write(record, view: disclosure, profile: profile, showContact: showContact, into: &w)
        }
    }
}
