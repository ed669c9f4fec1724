import FolkbokAudit
import FolkbokIndex
import FolkbokJSON
import FolkbokModel

/// What a call or a line produced: the one result type from a method's handler, through
/// `Service.handle`, to the event loop.
///
/// Guarantees: bytes are a response object for a call, and a whole answer line (newline
/// included) once `Service.handle` returns them; empty bytes (`ready`, or what slow work
/// ends with) mean nothing is sent (a notification). Lookups are cheap: the event loop answers
/// them itself from the shards' views; slow work runs on its own task and holds back the
/// connection's later requests until it is done.
public enum Outcome: Sendable {
    /// Nothing to send (blank line, or only notifications that needed no work).
    case none
    /// The response bytes.
    case ready([UInt8])
    /// A response rendered from the records of `keys`.
    case lookup(keys: [IdentityKey], render: @Sendable ([PersonRecord?]) -> Rendered)
    /// A `person.get` of one key: rendered from the packed row in place
    /// (`Service.lookupNow(key:plan:into:)`), or inside a batch from the record read with the
    /// others; the plan gives the same bytes either way.
    case packedLookup(key: IdentityKey, plan: GetPlan)
    case slow(@Sendable () async -> [UInt8])
    /// Slow work that sends lines ahead of its final answer through the sink (an extract).
    case stream(@Sendable (StreamSink) async -> [UInt8])
}

/// A rendered answer and the access-log entries it discloses under.
///
/// Guarantees: `bytes` may be sent only once `audit` is durable (strict mode); when the log
/// cannot take the entries, `ifAuditFails` is sent instead (an error with the same id). The
/// common answer, one entry refused with the audit-unavailable error, allocates neither an
/// array of entries nor the refusal's bytes until they are needed.
public struct Rendered: Sendable {
    public var bytes: [UInt8]
    /// A single entry, kept inline; `many` holds the entries when there are not exactly one.
    private(set) var single: AuditEntry?
    private var many: [AuditEntry]
    var refusal: Refusal

    public init(bytes: [UInt8], audit: [AuditEntry] = [], ifAuditFails: [UInt8] = []) {
        self.bytes = bytes
        self.single = nil
        self.many = audit
        self.refusal = .bytes(ifAuditFails)
    }

    /// One entry, refused with the audit-unavailable error for `id`.
    init(bytes: [UInt8], entry: AuditEntry, refusingFor id: JSONValue) {
        self.bytes = bytes
        self.single = entry
        self.many = []
        self.refusal = .unavailable(id: id, terminated: false)
    }

    public var audit: [AuditEntry] { single.map { [$0] } ?? many }

    public var ifAuditFails: [UInt8] { refusal.bytes }

    /// Ends the answer and its refusal with the line's newline (a single call's line).
    mutating func terminate() {
        bytes.terminate()
        refusal.terminate()
    }

    static let nothing = Rendered(bytes: [])
}

/// What is sent instead of an answer whose access-log entries cannot be written.
public enum Refusal: Sendable {
    /// 5003: the access log cannot be written, for the request `id`; built when needed.
    case unavailable(id: JSONValue, terminated: Bool)
    case bytes([UInt8])

    public var bytes: [UInt8] { bytes(for: nil) }

    /// The refusal's bytes when the access log refused the entries with `error`: an overloaded
    /// log (its disk is behind) says so; anything else is the log being unwritable.
    func bytes(for error: (any Error)?) -> [UInt8] {
        switch self {
        case .unavailable(let id, let terminated):
            let overloaded = (error as? AuditError)?.isOverloaded ?? false
            var b = Reply.error(
                id: id, overloaded ? .unavailable(AuditError.overloaded.message) : AuditStamp.auditUnavailable)
            if terminated { b.terminate() }
            return b
        case .bytes(let b): return b
        }
    }

    mutating func terminate() {
        switch self {
        case .unavailable(let id, _): self = .unavailable(id: id, terminated: true)
        case .bytes(var b):
            b.terminate()
            self = .bytes(b)
        }
    }
}

/// Where streamed lines go: the connection, with backpressure.
///
/// Guarantees: `send` returns once the bytes are queued on the connection and the
/// connection's unsent output is below the server's limit again (so a slow reader slows the
/// producer instead of filling memory); it answers false when the connection is gone, and the
/// producer should stop.
public struct StreamSink: Sendable {
    let deliver: @Sendable ([UInt8]) async -> Bool

    public init(deliver: @escaping @Sendable ([UInt8]) async -> Bool) { self.deliver = deliver }

    public func send(_ bytes: [UInt8]) async -> Bool { bytes.isEmpty ? true : await deliver(bytes) }
}

/// When a rendered lookup may be sent (strict access log: once its entries are durable).
public enum Disclosure: Sendable {
    /// Send these bytes now.
    case now([UInt8])
    /// The answer was appended to the caller's buffer and may be sent now.
    case written
    /// The answer was appended to the caller's buffer; send it once the access log is
    /// durable up to the ticket, or `ifAuditFails` if the entries are lost first.
    case writtenWhenDurable(AuditTicket, ifAuditFails: Refusal)
    /// Send `bytes` once the access log is durable up to the ticket; if the entries are lost
    /// first, send `ifAuditFails` instead.
    case whenDurable(AuditTicket, bytes: [UInt8], ifAuditFails: Refusal)
}
