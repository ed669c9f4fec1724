import FolkbokModel

/// Where committed mutations are made durable before they are applied (the write-ahead log).
///
/// `enqueue` is called in log-sequence order, synchronously, by the engine's committer; the
/// returned wait resumes once those entries are on disk, or throws if they never will be.
public protocol CommitLog: Sendable {
    func enqueue(_ mutations: [Mutation], firstLSN: UInt64) -> any DurabilityWait
}

/// Resumes when the entries it stands for are durable.
public protocol DurabilityWait: Sendable {
    func durable() async throws
}

/// Why the engine refuses a write.
public enum EngineError: Error, Sendable, Equatable {
    /// A log write or sync failed earlier; the engine serves reads only. The text names the cause.
    case readOnly(String)
}
