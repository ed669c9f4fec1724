import FolkbokModel

/// What handling one input line produced.
public enum Outcome: Sendable {
    /// Nothing to send (blank line, or only notifications that needed no work).
    case none
    /// The response bytes, line terminator included.
    case ready([UInt8])
    /// Work that needs the engine; its result is the response bytes (possibly empty).
    case deferred(Deferred)
}

/// Work a line needs from the engine. Lookups are cheap and are batched by the server across
/// many requests (one await per shard for the whole batch); slow work runs on its own task and
/// holds back the connection's later requests until it is done.
public enum Deferred: Sendable {
    case lookup(keys: [IdentityKey], render: @Sendable ([PersonRecord?]) -> [UInt8])
    case slow(@Sendable () async -> [UInt8])
}

/// One element's result inside a line, before the line's response is assembled.
enum CallResult {
    /// The response object (nil for a notification).
    case immediate([UInt8]?)
    case lookup(keys: [IdentityKey], render: @Sendable ([PersonRecord?]) -> [UInt8]?)
    case slow(@Sendable () async -> [UInt8]?)
}
