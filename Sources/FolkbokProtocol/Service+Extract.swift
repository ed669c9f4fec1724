import FolkbokAudit
import FolkbokEngine
import FolkbokJSON
import FolkbokModel

/// `extract.create` (aviseringsuttag) and the change feed built on it.
///
/// Every record of a region (or every one changed after `changedSince`) is streamed as a
/// line `{"jsonrpc":"2.0","id":..,"record":{..}}` in version order, the disclosure rule applied
/// per record, each logged; the last line is the answer `{"count":N,"version":V}`. V is the
/// engine's version when the extract began: every change after it has a higher version, so
/// asking again with `changedSince: V` misses nothing (a record changed while the extract ran
/// may come twice). Removed records are not in the feed.
extension Service {
    /// Records per read, access-log write and send.
    static let extractChunk = 1024

    func extractCreate(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["region", "changedSince", "profile"])
        let region = try p.requiredString("region")
        guard region.utf8.count == 2, region.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalidParams("\"region\" must be a two-digit region code")
        }
        let since = try p.uint("changedSince") ?? 0
        let profile = try p.choice("profile", Profile.self)
        guard let session else { throw .unauthenticated }
        try Self.checkProfile(profile, session)
        guard !session.isOperator else { throw .forbidden("an operator session reads no person data") }
        guard session.customer.homeRegion == region || session.customer.bilateralRegions.contains(region) else {
            throw .forbidden("extracting another region's residents needs a bilateral agreement")
        }
        let stamp = AuditStamp(session: session, method: "extract.create", profile: profile, time: config.clockMicros())
        let engine = self.engine
        return .stream { [self] sink in
            let high = engine.lsn
            let keys = await engine.changes(inRegion: region, after: since)
            var count = 0
            for start in stride(from: 0, to: keys.count, by: Self.extractChunk) {
                let records = await engine.records(for: Array(keys[start..<min(keys.count, start + Self.extractChunk)]))
                var w = JSONWriter(capacity: 1 << 18)
                var entries: [AuditEntry] = []
                for case let record? in records where record.version > since && record.region == region {
                    w.raw("{\"jsonrpc\":\"2.0\",\"id\":")
                    w.value(id)
                    w.raw(",\"record\":")
                    let outcome = Self.write(record, session: session, profile: profile, view: .record, into: &w)
                    w.raw("}\n")
                    entries.append(stamp.entry(person: record.id, answered: record, outcome))
                    count += 1
                }
                guard await logged(entries) else { return Reply.error(id: id, AuditStamp.auditUnavailable) }
                guard await sink.send(w.bytes) else { return [] }
            }
            return Reply.success(id: id) { w in
                w.raw("{\"count\":")
                w.int(count)
                w.raw(",\"version\":")
                w.uint(high)
                w.raw("}")
            }
        }
    }
}
