import FolkbokModel

/// The access log as the request handler sees it.
///
/// Guarantees of every implementation: `enqueue` assigns consecutive `seq` numbers in call
/// order and returns the last one; `waitUntilDurable(seq)` returns only when every entry up to
/// `seq` is on disk (or throws, and then every later call throws too: failures stick).
public protocol AuditTrail: Sendable {
    func enqueue(_ entries: [AuditEntry]) throws -> UInt64
    func waitUntilDurable(_ seq: UInt64) async throws
    /// Calls `notify` once: `true` when every entry up to `seq` is durable, `false` when the
    /// log failed first. It may run on any thread (the log's writer), so it must be quick.
    func whenDurable(_ seq: UInt64, _ notify: @escaping @Sendable (Bool) -> Void)
    func query(_ query: AuditQuery) throws -> AuditPage
    func verify(from: Int64?, to: Int64?) throws -> AuditVerification
}

extension AuditTrail {
    /// Through a task awaiting `waitUntilDurable` (an implementation may do better).
    public func whenDurable(_ seq: UInt64, _ notify: @escaping @Sendable (Bool) -> Void) {
        Task {
            do {
                try await waitUntilDurable(seq)
                notify(true)
            } catch {
                notify(false)
            }
        }
    }
}

/// `audit.query`'s filters. Times are microseconds since the epoch, inclusive.
public struct AuditQuery: Sendable, Equatable {
    /// Matches entries whose `person` or `resolved` is this identity.
    public var person: Identity?
    public var customer: String?
    public var from: Int64?
    public var to: Int64?
    public var limit: Int
    /// Continue after this `seq` (the previous page's cursor).
    public var after: UInt64?

    public init(person: Identity? = nil, customer: String? = nil, from: Int64? = nil, to: Int64? = nil, limit: Int = 100, after: UInt64? = nil) {
        self.person = person
        self.customer = customer
        self.from = from
        self.to = to
        self.limit = limit
        self.after = after
    }
}

/// A page of entries in `seq` order; `next` is the cursor for the following page (nil at the end).
public struct AuditPage: Sendable, Equatable {
    public var entries: [AuditEntry]
    public var next: UInt64?

    public init(entries: [AuditEntry], next: UInt64?) {
        self.entries = entries
        self.next = next
    }
}

/// `audit.verify`'s answer: whether the hash chain holds over the range, how many entries were
/// checked, and the first entry whose link is broken.
public struct AuditVerification: Sendable, Equatable {
    public var valid: Bool
    public var entries: Int
    public var firstBroken: UInt64?

    public init(valid: Bool, entries: Int, firstBroken: UInt64?) {
        self.valid = valid
        self.entries = entries
        self.firstBroken = firstBroken
    }
}
