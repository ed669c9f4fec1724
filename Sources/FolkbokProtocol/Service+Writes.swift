import FolkbokEngine
import FolkbokJSON
import FolkbokModel

/// What reserve and contact writes share: who may make them, how an identity param becomes a
/// key, and how a read-modify-write runs and answers.
extension Service {
    /// The session, if it may use reserve identities and contact details (docs/PROTOCOL.md: admin
    /// customers with purpose care, infection_control or dental); 4001 or 4003 otherwise.
    func adminSession(_ session: Session?) throws(RPCError) -> Session {
        guard let session else { throw .unauthenticated }
        guard !session.isOperator else { throw .forbidden("an operator session reads and writes no person data") }
        guard session.customer.admin else { throw .forbidden("only admin customers may use this method") }
        guard session.purpose?.allowsContactDetails ?? false else {
            throw .forbidden("this method needs purpose care, infection_control or dental")
        }
        return session
    }

    /// The key of an existing reserve identity param: 4022 for a malformed or non-reserve
    /// identity, 4004 when none was issued or registered.
    func reserveKey(_ param: IdentityParam) throws(RPCError) -> (Identity, IdentityKey) {
        let identity = try param.identity(today: today)
        guard identity.kind == .reserve else { throw .invalidIdentity("not a reserve identity") }
        guard let key = engine.reserves.key(of: identity) else { throw .notFound("no such reserve identity") }
        return (identity, key)
    }

    /// `mutations` with each upsert of a key in `keys` replacing the record read for it (its P5
    /// history, see `PersonRecord.replacing`), before the engine logs them.
    static func recordingHistory(
        _ mutations: [Mutation], keys: [IdentityKey], records: [PersonRecord?], today: CivilDate
    ) -> [Mutation] {
        mutations.map { m in
            guard case .upsert(let key, let record) = m, let at = keys.firstIndex(of: key) else { return m }
            return .upsert(key, record.replacing(records[at], on: today))
        }
    }

    /// Runs `plan` as one read-modify-write of `keys` (see `Engine.modify`) on its own task and
    /// answers `{"version": N}` (with `"reserve"` first when the plan names one), N being the
    /// plan's version or else the last LSN of the commit.
    func readModifyWrite(
        id: JSONValue, reading keys: [IdentityKey],
        _ plan: @escaping @Sendable ([PersonRecord?]) throws(RPCError) -> WritePlan
    ) -> Outcome {
        let engine = self.engine, clock = config.clock
        return .slow {
            let planned = PlanOutcome()
            let result = await Result(catching: { () async throws -> CommitSummary in
                try await engine.modify(reading: keys) { records in
                    let chosen = try plan(records)
                    planned.plan = chosen
                    return Self.recordingHistory(
                        chosen.mutations, keys: keys, records: records,
                        today: CivilDate(unixSeconds: clock()))
                }
            })
            switch result {
            case .success(let summary):
                if let refusal = await self.replicaRefusal(after: summary.lsn) { return Reply.error(id: id, refusal) }
                return Reply.success(id: id) { w in
                    w.raw("{")
                    if let reserve = planned.plan?.reserve {
                        w.raw("\"reserve\":")
                        RecordEncoder.identity(reserve, into: &w)
                        w.raw(",")
                    }
                    w.raw("\"version\":")
                    w.uint(planned.plan?.version ?? summary.lsn)
                    w.raw("}")
                }
            case .failure(let error as RPCError): return Reply.error(id: id, error)
            case .failure(EngineError.readOnly(let reason)): return Reply.error(id: id, .unavailable(reason))
            case .failure: return Reply.error(id: id, .internalError)
            }
        }
    }

    /// Person data from a `person` param, for a reserve identity's record.
    static func personFields(_ value: JSONValue?, id: Identity, today: CivilDate) throws(RPCError) -> PersonRecord {
        var record = PersonRecord(id: id, reserve: ReserveState())
        guard let value else { return record }
        guard case .object(let o) = value else { throw .invalidParams("\"person\" must be an object") }
        for key in o.keys where !RecordDecoder.personKeys.contains(key) {
            throw .invalidParams("unknown key \(Params.safeName(key)) in \"person\"")
        }
        do { try RecordDecoder.readFields(o, into: &record) } catch {
            throw .invalidParams("\"person\": \(error.reason)")
        }
        if let birth = record.birthDate, birth > today { throw .invalidParams("\"person.birthDate\" is in the future") }
        return record
    }
}

/// What a read-modify-write decided: the mutations, and what to answer.
struct WritePlan {
    var mutations: [Mutation]
    /// The version to answer; nil for the commit's last LSN.
    var version: UInt64? = nil
    /// The reserve identity to name in the answer (`reserve.assign` / `reserve.register`).
    var reserve: Identity? = nil
}

/// The plan chosen inside the engine's lock, carried out of it (written once, read after).
private final class PlanOutcome: @unchecked Sendable {
    var plan: WritePlan?
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
