import FolkbokModel

/// Where committed mutations are made durable before they are applied (the write-ahead log).
///
/// `enqueue` is called in log-sequence order, synchronously, by the engine's committer; the
/// returned wait resumes once those entries are on disk, or throws if they never will be.
public protocol CommitLog: Sendable {
    func enqueue(_ mutations: [Mutation], firstLSN: UInt64) -> any DurabilityWait
    /// As `enqueue(_:firstLSN:)` with the mutations' payloads already encoded and numbered
    /// (`payloads[i]` is `RecordCodec.encode(mutations[i])`); a log that keeps mutations, not
    /// bytes, ignores them.
    func enqueue(_ mutations: [Mutation], payloads: [[UInt8]], firstLSN: UInt64) -> any DurabilityWait
    /// After a failure: repairs the log and answers the last durable LSN, after which the next
    /// `enqueue` continues; throws while the log still cannot be written. Waits of entries
    /// queued before it that were not durable keep failing.
    func resume() async throws -> UInt64
}

extension CommitLog {
    public func enqueue(_ mutations: [Mutation], payloads: [[UInt8]], firstLSN: UInt64) -> any DurabilityWait {
        enqueue(mutations, firstLSN: firstLSN)
    }
}

/// Resumes when the entries it stands for are durable.
public protocol DurabilityWait: Sendable {
    func durable() async throws
}

/// Why the engine refuses a write.
public enum EngineError: Error, Sendable, Equatable {
    /// A log write or sync failed; the engine serves reads only until the log can be written
    /// again (`Engine.resumeWrites`). The text names the cause.
    case readOnly(String)
}
