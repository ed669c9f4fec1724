import FolkbokAudit
import FolkbokJSON
import FolkbokModel
import FolkbokStats

/// The usage statistics (Statistiktjänsten): `stats.open`, `stats.get` and the exports.
///
/// Counts come from the ledger's counters (never the access log); exports of the detailed kinds
/// are built from the access log of the customer's own lookups. Each successful `stats.export`
/// and `stats.fetch` writes one access-log entry; nothing else here does. Long work (answers
/// over many counters, writing and checking export files) never runs on the event loop and
/// blocking file work never on the concurrency pool.
extension Service {
    func statsOpen(id: JSONValue, _ params: JSONObject) throws(RPCError) -> Outcome {
        let query = try statsQuery(params, .open)
        return .slow { [self] in
            let result = query.evaluate(over: [currentCounters()], customer: nil)
            return Reply.success(id: id) { result.writeOpenAnswer(threshold: config.statsThreshold, into: &$0) }
        }
    }

    func statsGet(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let query = try statsQuery(params, .get)
        guard let session else { throw .unauthenticated }
        let customer = try ownCustomer(query, session)
        return .slow { [self] in
            let result = query.evaluate(over: [currentCounters()], customer: customer)
            return Reply.success(id: id) { result.writeGetAnswer(into: &$0) }
        }
    }

    func statsExport(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let query = try statsQuery(params, .export)
        let session = try exportSession(session)
        guard let kind = query.exportKind else { throw .invalidParams("\"kind\" is required") }
        guard session.customer.statisticsExports.contains(kind.rawValue) else {
            throw .forbidden("this customer may not create \(kind.rawValue) exports")
        }
        guard let exports else { throw .unavailable("this server keeps no statistics exports") }
        let stamp = AuditStamp(session: session, method: "stats.export", profile: nil, time: config.clockMicros())
        let ttl = config.exportTTLSeconds * 1_000_000
        return .slow { [self] in
            let counters = kind == .aggregated ? currentCounters() : StatsCounters()
            let made: StatsExport
            do {
                made = try await BlockingWork.run { [self] in
                    try exports.create(customer: stamp.session.customer.id, kind: kind, now: stamp.time, ttlMicros: ttl)
                    { sink in
                        if kind == .aggregated {
                            let result = query.evaluate(over: [counters], customer: stamp.session.customer.id)
                            for i in 0..<result.rowCount { try sink.appendJSON { result.writeRow(at: i, into: &$0) } }
                        } else {
                            try writeDetailedRows(query, kind, customer: stamp.session.customer.id, into: &sink)
                        }
                    }
                }
            } catch {
                return Reply.error(id: id, .unavailable("the export could not be written"))
            }
            guard await logged([stamp.entry(person: nil, resolved: nil, nil)]) else {
                _ = try? exports.delete(made.id, customer: made.customer, now: stamp.time)
                return Reply.error(id: id, AuditStamp.auditUnavailable)
            }
            return Reply.success(id: id) { w in Self.write(made, into: &w) }
        }
    }

    func statsFetch(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["export"])
        let exportID = try p.requiredString("export")
        let session = try exportSession(session)
        let export = try ownExport(exportID, session)
        guard let exports else { throw .notFound("no such export") }
        let stamp = AuditStamp(session: session, method: "stats.fetch", profile: nil, time: config.clockMicros())
        return .stream { [self] sink in
            let reader: ExportRowsReader
            do {
                reader = try await BlockingWork.run {
                    try exports.verify(export)
                    return Unchecked(unchecked: try exports.reader(export))
                }.unchecked
            } catch {
                return Reply.error(id: id, .unavailable("the export's file is damaged; create it again"))
            }
            guard await logged([stamp.entry(person: nil, resolved: nil, nil)]) else {
                return Reply.error(id: id, AuditStamp.auditUnavailable)
            }
            var prefix = JSONWriter(capacity: 64)
            prefix.raw("{\"jsonrpc\":\"2.0\",\"id\":")
            prefix.value(id)
            prefix.raw(",\"row\":")
            do {
                while let piece = try reader.next() {
                    guard await sink.send(Self.rowLines(piece, prefix: prefix.bytes)) else { return [] }
                }
            } catch {
                return Reply.error(id: id, .unavailable("the export's file could not be read"))
            }
            return Reply.success(id: id) { w in
                w.raw("{\"rows\":")
                w.int(export.rows)
                w.raw(",\"expiresAt\":")
                w.string(Timestamp.format(export.expiresAt))
                w.raw("}")
            }
        }
    }

    func statsExports(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        _ = try Params(params, allowed: [])
        let session = try exportSession(session)
        let list = exports?.list(customer: session.customer.id, now: config.clockMicros()) ?? []
        return .ready(
            Reply.success(id: id) { w in
                w.raw("{\"exports\":[")
                for (i, export) in list.enumerated() {
                    if i > 0 { w.raw(",") }
                    Self.write(export, into: &w)
                }
                w.raw("]}")
            })
    }

    func statsDelete(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["export"])
        let exportID = try p.requiredString("export")
        let session = try exportSession(session)
        _ = try ownExport(exportID, session)
        do {
            _ = try exports?.delete(exportID, customer: session.customer.id, now: config.clockMicros())
        } catch {
            throw .unavailable("the export could not be deleted")
        }
        return .ready(Reply.success(id: id) { $0.raw("{\"deleted\":true}") })
    }

    /// The counters to answer from: the ledger's, or none for a service without one.
    func currentCounters() -> StatsCounters { statistics?.counters() ?? StatsCounters() }

    private func statsQuery(_ params: JSONObject, _ method: StatsMethod) throws(RPCError) -> StatsQuery {
        do {
            return try StatsQuery.parse(params, for: method, today: today)
        } catch {
            throw .invalidParams(error.message)
        }
    }

    private func ownCustomer(_ query: StatsQuery, _ session: Session) throws(RPCError) -> String {
        let customer: String?
        do { customer = try query.customer(for: session) } catch { throw .invalidParams(error.message) }
        guard let customer else { throw .forbidden("a customer session reads its own statistics only") }
        return customer
    }

    private func exportSession(_ session: Session?) throws(RPCError) -> Session {
        guard let session else { throw .unauthenticated }
        guard !session.isOperator else { throw .forbidden("statistics exports belong to customer sessions") }
        return session
    }

    private func ownExport(_ exportID: String, _ session: Session) throws(RPCError) -> StatsExport {
        switch exports?.lookup(exportID, customer: session.customer.id, now: config.clockMicros()) ?? .unknown {
        case .found(let export): return export
        case .expired: throw .exportExpired
        case .unknown: throw .notFound("no such export")
        }
    }

    /// One row per lookup event of `customer` from `query.from` to `query.to`, in access-log order.
    private func writeDetailedRows(
        _ query: StatsQuery, _ kind: StatsExportKind, customer: String, into sink: inout ExportRowSink
    ) throws {
        guard let audit else { return }
        let pseudonymiser = Pseudonymiser()
        var pseudonyms: [Identity: ExportPerson] = [:]  // a person looked up again costs no new HMAC
        let from = Int64(query.from.daysSinceEpoch) * 86_400_000_000
        let to = Int64(query.to.daysSinceEpoch + 1) * 86_400_000_000 - 1
        let owner = config.customers[customer]
        var after: UInt64?
        repeat {
            let page = try audit.query(AuditQuery(customer: customer, from: from, to: to, limit: 65_536, after: after))
            func person(_ e: AuditEntry) -> ExportPerson {
                guard kind == .pseudonymised, let identity = e.resolved ?? e.person else {
                    return ExportPerson.of(
                        kind: kind, answered: e.resolved, asked: e.person, pseudonymiser: pseudonymiser)
                }
                if let known = pseudonyms[identity] { return known }
                let made = ExportPerson.of(kind: kind, answered: identity, asked: nil, pseudonymiser: pseudonymiser)
                pseudonyms[identity] = made
                return made
            }
            for e in page.entries {
                guard let event = LookupEvent(entry: e, customer: owner) else { continue }
                let row = ExportRow(event, time: e.time, person: person(e))
                try sink.appendJSON { row.write(into: &$0) }
            }
            after = page.next
        } while after != nil
    }

    /// `{"export","kind","rows","created","expiresAt"}`.
    private static func write(_ export: StatsExport, into w: inout JSONWriter) {
        w.raw("{\"export\":")
        w.string(export.id)
        w.raw(",\"kind\":")
        w.string(export.kind.rawValue)
        w.raw(",\"rows\":")
        w.int(export.rows)
        w.raw(",\"created\":")
        w.string(Timestamp.format(export.created))
        w.raw(",\"expiresAt\":")
        w.string(Timestamp.format(export.expiresAt))
        w.raw("}")
    }

    /// Each row line of `piece` as a streamed line `{"jsonrpc":"2.0","id":..,"row":<row>}`.
    static func rowLines(_ piece: [UInt8], prefix: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(piece.count + (piece.count / 100 + 1) * (prefix.count + 2))
        var start = 0
        piece.withUnsafeBufferPointer { bytes in
            for i in 0..<bytes.count where bytes[i] == 0x0A {
                out += prefix
                out += bytes[start..<i]
                out += [UInt8(ascii: "}"), 0x0A]
                start = i + 1
            }
        }
        return out
    }
}

/// Carries a non-Sendable value out of `BlockingWork` (the thread that made it is finished with it).
struct Unchecked<T>: @unchecked Sendable {
    let unchecked: T
}
