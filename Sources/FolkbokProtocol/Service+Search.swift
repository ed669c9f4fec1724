import FolkbokAudit
import FolkbokEngine
import FolkbokJSON
import FolkbokModel

/// `person.search`: the secondary indexes of every shard, merged in identity order, one page
/// at a time (docs/PROTOCOL.md, "Search").
///
/// Choices: `cursor` is opaque (the last key of the previous page); protected persons found by
/// name or birth date always come back limited, whatever the contract (the issue: "name search
/// returns protected persons only in their limited form"); `postalCode` is 5 digits (a space
/// after the third is allowed); `municipality` 4 digits.
extension Service {
    func personSearch(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(
            params,
            allowed: [
                "surname", "given", "birthDate", "postalCode", "municipality", "street", "limit", "cursor", "profile",
            ])
        var criteria = SearchCriteria()
        criteria.surname = try Self.namePattern(p, "surname")
        criteria.given = try Self.namePattern(p, "given")
        criteria.street = try Self.namePattern(p, "street")
        if let text = try p.string("birthDate") {
            if let day = CivilDate(iso: text) {
                criteria.birthDate = .day(day)
            } else if text.utf8.count == 4, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let year = Int(text) {
                criteria.birthDate = .year(year)
            } else {
                throw .invalidParams("\"birthDate\" must be YYYY-MM-DD or YYYY")
            }
        }
        if let code = try p.string("postalCode") {
            let digits = SearchCriteria.normalizedPostalCode(code)
            guard digits.count == 5, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw .invalidParams("\"postalCode\" must be 5 digits")
            }
            criteria.postalCode = String(decoding: digits, as: UTF8.self)
        }
        if let code = try p.string("municipality") {
            guard code.utf8.count == 4, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw .invalidParams("\"municipality\" must be 4 digits")
            }
            criteria.municipality = code
        }
        guard !criteria.isEmpty else { throw .invalidParams("give at least one search criterion") }
        let limit = try p.int("limit", in: 1...500) ?? 50
        var after: IdentityKey?
        if let cursor = try p.string("cursor") {
            guard let raw = UInt64(cursor, radix: 36) else {
                throw .invalidParams("\"cursor\" is not a cursor this server gave")
            }
            after = IdentityKey(raw: raw)
        }
        let profile = try p.choice("profile", Profile.self)
        guard let session else { throw .unauthenticated }
        try Self.checkProfile(profile, session)
        guard !session.isOperator else { throw .forbidden("an operator session reads no person data") }
        let stamp = AuditStamp(session: session, method: "person.search", profile: profile, time: config.clockMicros())
        let engine = self.engine, query = criteria, start = after
        return .slow { [self] in
            let keys = await engine.search(query, after: start, limit: limit)
            let records = await engine.records(for: keys)
            var audit: [AuditEntry] = []
            let bytes = Reply.success(id: id) { w in
                w.raw("{\"results\":[")
                var first = true
                for case let record? in records {
                    if !first { w.raw(",") }
                    first = false
                    let outcome = Self.writeSearchHit(record, session: session, profile: profile, into: &w)
                    audit.append(stamp.entry(person: record.id, answered: record, outcome))
                }
                w.raw("],\"cursor\":")
                if keys.count == limit, let last = keys.last { w.string(String(last.raw, radix: 36)) } else { w.null() }
                w.raw("}")
            }
            return await release([
                Rendered(bytes: bytes, audit: audit, ifAuditFails: Reply.error(id: id, AuditStamp.auditUnavailable))
            ])[0]
        }
    }

    /// A hit as the session may see it; a protected person always limited.
    private static func writeSearchHit(
        _ record: PersonRecord, session: Session, profile: Profile?, into w: inout JSONWriter
    ) -> AuditOutcome {
        guard record.protection != .none else {
            return write(record, session: session, profile: profile, view: .record, into: &w)
        }
        RecordEncoder.write(
            record, view: DisclosureView.of(record.protection, contract: .normal), profile: profile, showContact: false,
            into: &w)
        return .limited
    }

    private static func namePattern(_ p: Params, _ key: String) throws(RPCError) -> NamePattern? {
        guard let text = try p.string(key) else { return nil }
        let pattern = NamePattern(text)
        guard !pattern.folded.isEmpty, text.count <= 100 else {
            throw .invalidParams("\"\(key)\" must be 1 to 100 characters")
        }
        return pattern
    }
}
