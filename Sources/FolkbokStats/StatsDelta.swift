import FolkbokStorage

/// The counts one owner recorded between two drains, self-contained (it carries the dimension
/// values it uses, not the owner's ids), for the write-ahead log.
///
/// Guarantees: `StatsDelta(decoding: d.encoded())` applies exactly as `d` does; applying the
/// deltas of an owner, in any order, to empty counters gives that owner's drained counts.
/// About six bytes per distinct cell plus the strings and callers it uses.
public struct StatsDelta: Sendable {
    var batch: CountBatch

    init(batch: CountBatch) { self.batch = batch }

    /// True when the delta holds no count (nothing was recorded since the previous drain); the
    /// integrator need not log it.
    public var isEmpty: Bool { batch.lookups.isEmpty && batch.sessions.isEmpty }

    /// The number of lookup events in the delta.
    public var lookups: UInt64 { batch.lookups.reduce(0) { $0 &+ $1.count } }

    /// The number of ended sessions in the delta.
    public var sessions: UInt64 { batch.sessions.reduce(0) { $0 &+ $1.totals.count } }

    /// The delta's bytes (magic `\u{89}FBSD\r\n\u{1A}`, see `StatsCodec`).
    public func encoded() -> [UInt8] { StatsCodec.encode(batch, kind: .delta) }

    /// - Throws: `CodecError` naming what is wrong; never a partial delta.
    public init(decoding bytes: [UInt8]) throws(CodecError) {
        batch = try StatsCodec.decode(bytes, kind: .delta)
    }
}
