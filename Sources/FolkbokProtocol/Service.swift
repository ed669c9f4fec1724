import FolkbokAudit
import FolkbokEngine
import FolkbokIndex
import FolkbokJSON
import FolkbokModel
import FolkbokStats

/// The request handler: turns one input line into an `Outcome`, in the order docs/PROTOCOL.md's
/// precedence rules demand. Pure apart from the engine it reads and the connection state it
/// updates; it does no socket I/O, so it is testable in-process.
public final class Service: Sendable {
    public let config: ServiceConfig
    public let engine: Engine
    public let gauges: ServerGauges
    /// The durable side (snapshots, log); nil for an in-memory service (tests).
    public let persistence: Persistence?
    /// The access log; nil only for an in-memory service without one (benchmark baselines).
    public let audit: (any AuditTrail)?
    /// The usage-statistics counters; nil for a service without a data directory (they are
    /// then empty).
    public let statistics: StatsLedger?
    /// The statistics exports; nil for a service without a data directory.
    public let exports: ExportStore?
    let imports = ImportTracker()
    /// The event loops' request and connection counts (`metricsText`, `admin.metrics`).
    public let metrics = ServiceMetrics()

    public init(
        config: ServiceConfig, engine: Engine, gauges: ServerGauges, persistence: Persistence? = nil,
        audit: (any AuditTrail)? = nil, statistics: StatsLedger? = nil, exports: ExportStore? = nil
    ) {
        self.config = config
        self.engine = engine
        self.gauges = gauges
        self.persistence = persistence
        self.audit = audit
        self.statistics = statistics
        self.exports = exports
    }

    /// Ends the connection's session, if any: counted once in the session statistics (a
    /// customer's, not an operator's). Call when the connection closes or the server stops.
    public func endSession(of connection: ConnectionState) {
        defer { connection.session = nil }
        guard let session = connection.session, let statistics,
            let event = SessionEvent(
                session: session, openedMicros: connection.sessionOpenedAt, endedMicros: config.clockMicros())
        else { return }
        statistics.record(event)
    }

    var today: CivilDate { CivilDate(unixSeconds: config.clock()) }

    /// Handles one framed line (without its terminator). The commonest line, a plain
    /// `person.get`, is recognised from its bytes (`FastGet`); `general` forces the general way.
    public func handle(line: [UInt8], connection: ConnectionState, general: Bool = false) -> Outcome {
        handle(line: line[...], connection: connection, general: general)
    }

    /// As `handle(line:connection:general:)` for a line read in place (`LineFramer.nextInPlace`).
    public func handle(line: ArraySlice<UInt8>, connection: ConnectionState, general: Bool = false) -> Outcome {
        if !general, let fast = FastGet.recognize(line) {
            connection.consecutiveParseErrors = 0
            connection.method = RequestMethod.personGet
            do {
                return Self.single(
                    try personGet(
                        id: fast.id, .text(fast.identity), profile: fast.profile, view: .record, follow: true,
                        session: connection.session))
            } catch {
                return .ready(Reply.error(id: fast.id, error) + [0x0A])
            }
        }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            connection.method = RequestMethod.blank
            return .none
        }
        connection.method = RequestMethod.invalid
        let value: JSONValue
        do {
            value = try line.withUnsafeBytes { raw throws(JSONParseError) in try JSONParser.parse(raw) }
        } catch {
            connection.consecutiveParseErrors += 1
            return .ready(Reply.error(id: .null, .parseError) + [0x0A])
        }
        connection.consecutiveParseErrors = 0
        guard case .array(let elements) = value else {
            return Self.single(call(value, connection: connection))
        }
        guard !elements.isEmpty else {
            return .ready(Reply.error(id: .null, .invalidRequest("an empty batch")) + [0x0A])
        }
        let calls = elements.map { call($0, connection: connection) }
        connection.method = RequestMethod.batch
        return batch(calls)
    }

    /// The answer to a line that was longer than the limit.
    public static let lineTooLongResponse: [UInt8] = Reply.error(id: .null, .lineTooLong) + [0x0A]

    /// The line a connection over the server's connection limit gets before it is closed.
    public static let tooManyConnectionsResponse: [UInt8] = Reply.error(id: .null, .tooManyConnections) + [0x0A]

    /// Runs many lookups together: one engine read (one await per shard) for all their keys,
    /// then one access-log write for all their entries, before any answer is released.
    public func run(lookups: [(keys: [IdentityKey], render: @Sendable ([PersonRecord?]) -> Rendered)]) async
        -> [[UInt8]]
    {
        let all = lookups.flatMap(\.keys)
        let records = all.isEmpty ? [] : await engine.records(for: all)
        var offset = 0
        let rendered = lookups.map { lookup in
            let slice = Array(records[offset..<(offset + lookup.keys.count)])
            offset += lookup.keys.count
            return lookup.render(slice)
        }
        return await release(rendered)
    }

    /// Renders a lookup on the calling thread (an event loop), reading the shards through
    /// their views, and queues its access-log entries: what may be sent and when.
    ///
    /// The `lookupNow` calls queue a lone entry quietly (`AuditTrail.enqueueQuietly`): the
    /// caller must call `flushAudit(onCaller:)` before it sleeps, once per turn of its loop.
    public func lookupNow(keys: [IdentityKey], render: ([PersonRecord?]) -> Rendered) -> Disclosure {
        disclose(render(keys.isEmpty ? [] : engine.recordsNow(for: keys)))
    }

    /// As `lookupNow(keys:render:)` for one `person.get`, rendered from the packed row in
    /// place under the shard view's lock (no record is built) into `out` (a buffer the caller
    /// reuses, so the answer allocates nothing): `.written` and `.writtenWhenDurable` mean the
    /// answer was appended to `out` (to be sent now, or once its entry is durable); otherwise
    /// `out` is as it was and the disclosure says what to send.
    public func lookupNow(key: IdentityKey, plan: GetPlan, into out: inout JSONWriter) -> Disclosure {
        let start = out.bytes.count
        let entry = engine.withPacked(key) { plan.render($0, into: &out) }
        guard let audit else { return .written }
        do {
            let ticket = try audit.enqueueQuietly(entry)
            return config.strictAudit ? .writtenWhenDurable(ticket, ifAuditFails: plan.refusal) : .written
        } catch {
            out.bytes.removeSubrange(start...)
            return .now(plan.refusal.bytes(for: error))
        }
    }

    /// Gets the entries the `lookupNow` calls queued written: in strict mode with
    /// `onCaller`, a group commit on the calling thread when the log's writer sleeps (true:
    /// their waiters have been told); otherwise the writer is woken (false).
    public func flushAudit(onCaller: Bool) -> Bool {
        audit?.flushQueued(onCaller: onCaller && config.strictAudit) ?? false
    }

    /// Queues a rendered answer's access-log entries: what may be sent, and when.
    func disclose(_ rendered: Rendered) -> Disclosure {
        guard let audit else { return .now(rendered.bytes) }
        do {
            let ticket: AuditTicket
            if let entry = rendered.single {
                ticket = try audit.enqueueQuietly(entry)
            } else {
                let entries = rendered.audit
                guard !entries.isEmpty else { return .now(rendered.bytes) }
                ticket = try audit.enqueue(entries)
            }
            guard config.strictAudit else { return .now(rendered.bytes) }
            return .whenDurable(ticket, bytes: rendered.bytes, ifAuditFails: rendered.refusal)
        } catch {
            return .now(rendered.refusal.bytes(for: error))
        }
    }

    /// The bytes to send for rendered answers: their entries are written to the access log
    /// first (and, in strict mode, synced); if that fails nothing is disclosed.
    func release(_ rendered: [Rendered]) async -> [[UInt8]] {
        guard let failure = await logFailure(rendered.flatMap(\.audit)) else { return rendered.map(\.bytes) }
        return rendered.map { $0.audit.isEmpty ? $0.bytes : $0.refusal.bytes(for: failure) }
    }

    /// Writes access-log entries (and, in strict mode, waits until they are durable); false
    /// when the log cannot take them, and then nothing they cover may be disclosed.
    func logged(_ entries: [AuditEntry]) async -> Bool { await logFailure(entries) == nil }

    /// As `logged`, answering why the log did not take the entries (nil when it did).
    private func logFailure(_ entries: [AuditEntry]) async -> (any Error)? {
        guard let audit, !entries.isEmpty else { return nil }
        do {
            let seq = try audit.enqueue(entries)
            if config.strictAudit { try await audit.waitUntilDurable(seq) }
            return nil
        } catch {
            return error
        }
    }

    private func call(_ value: JSONValue, connection: ConnectionState) -> Outcome {
        let request: Request
        switch Request.validate(value) {
        case .success(let r): request = r
        case .failure(let refusal):
            connection.method = RequestMethod.invalid
            return .ready(Reply.error(id: refusal.id, refusal.error))
        }
        connection.method = RequestMethod.index(of: request.method)
        let result = dispatch(request, connection: connection)
        guard request.isNotification else { return result }
        switch result {
        case .none, .ready, .lookup, .packedLookup: return .none
        case .slow(let work):
            return .slow {
                _ = await work()
                return []
            }
        case .stream(let work):
            return .slow {
                _ = await work(StreamSink { _ in true })
                return []
            }
        }
    }

    private func dispatch(_ request: Request, connection: ConnectionState) -> Outcome {
        let id = request.id ?? .null
        do {
            if let replication = config.replication, let refusal = replication.writeRefusal,
                Self.writeMethods.contains(request.method)
            {
                throw refusal
            }
            switch request.method {
            case "ping": return .ready(try ping(id: id, request.params))
            case "session.open": return .ready(try openSession(id: id, request.params, connection: connection))
            case "person.get": return try personGet(id: id, request.params, session: connection.session)
            case "person.getMany": return try personGetMany(id: id, request.params, session: connection.session)
            case "person.search": return try personSearch(id: id, request.params, session: connection.session)
            case "reserve.assign": return try reserveAssign(id: id, request.params, session: connection.session)
            case "reserve.register": return try reserveRegister(id: id, request.params, session: connection.session)
            case "reserve.update": return try reserveUpdate(id: id, request.params, session: connection.session)
            case "reserve.get": return try reserveGet(id: id, request.params, session: connection.session)
            case "reserve.link": return try reserveLink(id: id, request.params, session: connection.session)
            case "reserve.unlink": return try reserveUnlink(id: id, request.params, session: connection.session)
            case "contact.set": return try contactSet(id: id, request.params, session: connection.session)
            case "contact.delete": return try contactDelete(id: id, request.params, session: connection.session)
            case "extract.create": return try extractCreate(id: id, request.params, session: connection.session)
            case "admin.info": return try adminInfo(id: id, request.params, session: connection.session)
            case "admin.import": return try adminImport(id: id, request.params, session: connection.session)
            case "admin.snapshot": return try adminSnapshot(id: id, request.params, session: connection.session)
            case "admin.promote": return try adminPromote(id: id, request.params, session: connection.session)
            case "admin.metrics": return try adminMetrics(id: id, request.params, session: connection.session)
            case "audit.query": return try auditQuery(id: id, request.params, session: connection.session)
            case "audit.verify": return try auditVerify(id: id, request.params, session: connection.session)
            case "stats.open": return try statsOpen(id: id, request.params)
            case "stats.get": return try statsGet(id: id, request.params, session: connection.session)
            case "stats.export": return try statsExport(id: id, request.params, session: connection.session)
            case "stats.fetch": return try statsFetch(id: id, request.params, session: connection.session)
            case "stats.exports": return try statsExports(id: id, request.params, session: connection.session)
            case "stats.delete": return try statsDelete(id: id, request.params, session: connection.session)
            default: throw RPCError.methodNotFound(request.method)
            }
        } catch let error as RPCError {
            return .ready(Reply.error(id: id, error))
        } catch {
            return .ready(Reply.error(id: id, .internalError))
        }
    }

    /// A single call's outcome as its line's: the answer followed by the newline.
    private static func single(_ result: Outcome) -> Outcome {
        switch result {
        case .none: return .none
        case .ready(let bytes): return bytes.isEmpty ? .none : .ready(bytes.terminated)
        case .lookup(let keys, let render):
            return .lookup(keys: keys) { records in
                var r = render(records)
                r.terminate()
                return r
            }
        case .packedLookup(let key, var plan):
            plan.terminated = true
            return .packedLookup(key: key, plan: plan)
        case .slow(let work): return .slow { await work().terminated }
        case .stream(let work): return .stream { sink in await work(sink).terminated }
        }
    }

    private func batch(_ calls: [Outcome]) -> Outcome {
        // Inside a batch a one-key lookup renders from the record read with the others.
        let results = calls.map { call -> Outcome in
            if case .packedLookup(let key, let plan) = call { return .lookup(keys: [key]) { plan.render($0[0]) } }
            return call
        }
        let parts = results
        if results.contains(where: { if case .slow = $0 { true } else if case .stream = $0 { true } else { false } }) {
            return .slow { [self] in
                var objects: [[UInt8]?] = []
                let streamed = StreamedLines()
                for part in parts {
                    switch part {
                    case .none: objects.append(nil)
                    case .ready(let bytes): objects.append(bytes)
                    case .lookup(let keys, let render):
                        let rendered = render(keys.isEmpty ? [] : await engine.records(for: keys))
                        objects.append(await release([rendered])[0])
                    case .packedLookup(let key, let plan):
                        objects.append(await release([plan.render(await engine.records(for: [key])[0])])[0])
                    case .slow(let work): objects.append(await work())
                    case .stream(let work): objects.append(await work(StreamSink { streamed.append($0) }))
                    }
                }
                return streamed.lines + Self.joined(objects)
            }
        }
        guard results.contains(where: { if case .lookup = $0 { true } else { false } }) else {
            let objects = results.map { (r) -> [UInt8]? in if case .ready(let b) = r { return b } else { return nil } }
            let line = Self.joined(objects)
            return line.isEmpty ? .none : .ready(line)
        }
        var keys: [IdentityKey] = []
        for case .lookup(let k, _) in results { keys += k }
        return .lookup(keys: keys) { records in
            var offset = 0
            var objects: [[UInt8]?] = [], fallbacks: [[UInt8]?] = []
            var audit: [AuditEntry] = []
            for part in parts {
                switch part {
                case .none:
                    objects.append(nil)
                    fallbacks.append(nil)
                case .ready(let bytes):
                    objects.append(bytes)
                    fallbacks.append(bytes)
                case .lookup(let k, let render):
                    let r = render(Array(records[offset..<(offset + k.count)]))
                    offset += k.count
                    objects.append(r.bytes.isEmpty ? nil : r.bytes)
                    fallbacks.append(r.bytes.isEmpty ? nil : (r.audit.isEmpty ? r.bytes : r.ifAuditFails))
                    audit += r.audit
                case .slow, .stream, .packedLookup:
                    // No slow work here (it takes the branch above); one-key lookups are
                    // `.lookup`s in a batch.
                    objects.append(nil)
                    fallbacks.append(nil)
                }
            }
            return Rendered(bytes: Self.joined(objects), audit: audit, ifAuditFails: Self.joined(fallbacks))
        }
    }

    /// A batch's answer line: the non-notification objects in order, or nothing at all.
    private static func joined(_ objects: [[UInt8]?]) -> [UInt8] {
        let present = objects.compactMap { $0 }.filter { !$0.isEmpty }
        guard !present.isEmpty else { return [] }
        var line: [UInt8] = [UInt8(ascii: "[")]
        for (i, object) in present.enumerated() {
            if i > 0 { line.append(UInt8(ascii: ",")) }
            line += object
        }
        line += [UInt8(ascii: "]"), 0x0A]
        return line
    }

    private func ping(id: JSONValue, _ params: JSONObject) throws(RPCError) -> [UInt8] {
        _ = try Params(params, allowed: [])
        return Reply.success(id: id) { w in
            w.raw("{\"pong\":true,\"version\":")
            w.string(config.version)
            w.raw("}")
        }
    }
}

/// Lines a streamed call produced inside a batch: sent before the batch's answer line.
private final class StreamedLines: @unchecked Sendable {
    // @unchecked: appended to by one task, read by it afterwards.
    var lines: [UInt8] = []
    func append(_ bytes: [UInt8]) -> Bool {
        lines += bytes
        return true
    }
}

extension [UInt8] {
    /// The bytes followed by a newline, or empty when empty.
    var terminated: [UInt8] {
        var copy = self
        copy.terminate()
        return copy
    }

    /// Appends the newline in place (nothing when empty).
    mutating func terminate() { if !isEmpty { append(0x0A) } }
}
