import FolkbokAudit
import FolkbokEngine
import FolkbokJSON
import FolkbokModel

extension Service {
    /// `audit.query` (operators): entries by person, customer and time, oldest first, with a
    /// cursor. The query itself is logged, with the person it asked about.
    func auditQuery(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["person", "customer", "from", "to", "limit", "cursor"])
        let person = try p.value("person").map { (v) throws(RPCError) in try IdentityParam(v, name: "person") }
        let customer = try p.string("customer")
        let from = try time(p, "from", endOfDay: false)
        let to = try time(p, "to", endOfDay: true)
        let limit = try p.int("limit", in: 1...1000) ?? 100
        var after: UInt64?
        if let cursor = try p.string("cursor") {
            guard let seq = UInt64(cursor) else { throw .invalidParams("\"cursor\" is not one this server gave") }
            after = seq
        }
        let session = try operatorSession(session)
        let identity = try person?.identity(today: today)
        guard let audit else { throw .unavailable("this server keeps no access log") }
        let stamp = AuditStamp(session: session, method: "audit.query", profile: nil, time: config.clockMicros())
        let query = AuditQuery(person: identity, customer: customer, from: from, to: to, limit: limit, after: after)
        return .slow { [self] in
            let page: AuditPage
            do { page = try await onOwnThread { try audit.query(query) } } catch {
                return Reply.error(id: id, .unavailable("the access log cannot be read"))
            }
            let answer = Reply.success(id: id) { w in Self.write(page, into: &w) }
            let rendered = Rendered(
                bytes: answer, audit: [stamp.entry(person: identity, resolved: nil, nil)],
                ifAuditFails: Reply.error(id: id, AuditStamp.auditUnavailable))
            return await release([rendered])[0]
        }
    }

    /// `audit.verify` (operators): recomputes the hash chain over a time range.
    func auditVerify(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["from", "to"])
        let from = try time(p, "from", endOfDay: false)
        let to = try time(p, "to", endOfDay: true)
        _ = try operatorSession(session)
        guard let audit else { throw .unavailable("this server keeps no access log") }
        return .slow {
            do {
                let result = try await onOwnThread { try audit.verify(from: from, to: to) }
                return Reply.success(id: id) { w in
                    w.raw("{\"valid\":")
                    w.bool(result.valid)
                    w.raw(",\"entries\":")
                    w.int(result.entries)
                    w.raw(",\"firstBroken\":")
                    if let seq = result.firstBroken { w.uint(seq) } else { w.null() }
                    w.raw("}")
                }
            } catch {
                return Reply.error(id: id, .unavailable("the access log cannot be read"))
            }
        }
    }

    private func time(_ p: Params, _ key: String, endOfDay: Bool) throws(RPCError) -> Int64? {
        guard let text = try p.string(key) else { return nil }
        guard let micros = Timestamp.parse(text, endOfDay: endOfDay) else {
            throw .invalidParams("\"\(key)\" must be YYYY-MM-DD or an ISO 8601 UTC time")
        }
        return micros
    }

    static func write(_ page: AuditPage, into w: inout JSONWriter) {
        w.raw("{\"entries\":[")
        for (i, e) in page.entries.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"seq\":")
            w.uint(e.seq)
            w.raw(",\"time\":")
            w.string(Timestamp.format(e.time))
            w.raw(",\"customer\":")
            w.string(e.customer)
            w.raw(",\"user\":")
            w.stringOrNull(e.user)
            w.raw(",\"purpose\":")
            w.stringOrNull(e.purpose)
            w.raw(",\"contract\":")
            w.stringOrNull(e.contract)
            w.raw(",\"method\":")
            w.string(e.method)
            w.raw(",\"profile\":")
            w.stringOrNull(e.profile)
            w.raw(",\"person\":")
            if let person = e.person { RecordEncoder.identity(person, into: &w) } else { w.null() }
            w.raw(",\"resolved\":")
            if let resolved = e.resolved { RecordEncoder.identity(resolved, into: &w) } else { w.null() }
            w.raw(",\"outcome\":")
            w.stringOrNull(e.outcome?.wireName)
            w.raw("}")
        }
        w.raw("],\"cursor\":")
        if let next = page.next { w.string(String(next)) } else { w.null() }
        w.raw("}")
    }
}
