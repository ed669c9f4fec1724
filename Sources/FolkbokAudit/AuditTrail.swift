import FolkbokModel
import FolkbokStorage

/// The access log as the request handler sees it.
///
/// Guarantees of every implementation: `enqueue` assigns consecutive `seq` numbers in call
/// order and returns a ticket for the last one; `waitUntilDurable(ticket)` returns only when
/// every entry up to it is on disk, or throws: then the entries are lost, and later calls
/// throw too until the log has been repaired (failures stick until then).
public protocol AuditTrail: Sendable {
    func enqueue(_ entries: [AuditEntry]) throws -> AuditTicket
    /// As `enqueue` with one entry (the commonest case; an implementation may avoid the array).
    func enqueue(_ entry: AuditEntry) throws -> AuditTicket
    /// As `enqueue(_:)` with one entry, leaving the log's writer asleep: the caller promises to
    /// call `flushQueued(onCaller:)` before it waits for anything (an event loop does at the end
    /// of each turn), so the entries of one turn share one group commit.
    func enqueueQuietly(_ entry: AuditEntry) throws -> AuditTicket
    /// Gets the entries queued so far written. With `onCaller` and the log's writer asleep, it
    /// writes and syncs them on the calling thread (their waiters are told before it returns)
    /// and answers true; otherwise it wakes the writer if that sleeps and answers false.
    func flushQueued(onCaller: Bool) -> Bool
    func waitUntilDurable(_ ticket: AuditTicket) async throws
    /// Calls `notify` once: `true` when every entry up to the ticket is durable, `false` when
    /// they were lost first. It may run on any thread (the log's writer), so it must be quick.
    func whenDurable(_ ticket: AuditTicket, _ notify: @escaping @Sendable (Bool) -> Void)
    func query(_ query: AuditQuery) throws -> AuditPage
    func verify(from: Int64?, to: Int64?) throws -> AuditVerification
    /// The log's queue and group commits, for the server's metrics (nil: not measured).
    var metrics: AuditLogMetrics? { get }
}

/// The access log as the server's metrics show it: entries queued and not yet durable, and
/// the group commits of its write-ahead log.
public struct AuditLogMetrics: Sendable {
    /// Entries handed to the log whose sync has not completed yet.
    public let waiting: UInt64
    public let wal: WALMetrics
}

extension AuditTrail {
    public var metrics: AuditLogMetrics? { nil }

    public func enqueue(_ entry: AuditEntry) throws -> AuditTicket { try enqueue([entry]) }

    public func enqueueQuietly(_ entry: AuditEntry) throws -> AuditTicket { try enqueue(entry) }

    public func flushQueued(onCaller: Bool) -> Bool { false }

    /// Through a task awaiting `waitUntilDurable` (an implementation may do better).
    public func whenDurable(_ ticket: AuditTicket, _ notify: @escaping @Sendable (Bool) -> Void) {
        Task {
            do {
                try await waitUntilDurable(ticket)
                notify(true)
            } catch {
                notify(false)
            }
        }
    }
}

/// What `AuditTrail.enqueue` answers: the seq of the last entry, and which run of the log
/// (between repairs after failures) it was queued in, so entries lost in a failure are never
/// reported durable when their seqs are reused.
public struct AuditTicket: Sendable, Equatable {
    public let seq: UInt64
    /// nil: whichever run is current when waiting.
    public let generation: UInt64?

    public init(seq: UInt64, generation: UInt64? = nil) {
        self.seq = seq
        self.generation = generation
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

    public init(
        person: Identity? = nil, customer: String? = nil, from: Int64? = nil, to: Int64? = nil, limit: Int = 100,
        after: UInt64? = nil
    ) {
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
