import FolkbokStorage

/// What the access log keeps in memory, always under `AuditLog.state`'s lock.
///
/// Guarantees: `head` is the chain hash of entry `nextSeq - 1` (or the anchor before the
/// first); `recent` holds every entry above the last sealed segment, in seq order, and
/// `recentKeys` maps each index key to the seqs of `recent` carrying it, ascending.
struct AuditState: Sendable {
    var nextSeq: UInt64
    var head: [UInt8]
    /// UTC day (days since the epoch) of the open segment's first entry; nil while it is empty.
    var openDay: Int64?
    var sealed: [SealedSegment]
    var recent: [AuditEntry] = []
    var recentKeys: [UInt64: [UInt64]] = [:]
    /// The last sealing failure (sealing is retried); nil once a seal succeeds.
    var sealFailure: FileError?
    /// Called with every batch of entries as they are appended, under the lock, in seq order.
    var observer: (@Sendable ([AuditEntry]) -> Void)?

    mutating func remember(_ entries: [AuditEntry]) {
        for e in entries {
            recent.append(e)
            for key in AuditKey.keys(of: e) { recentKeys[key, default: []].append(e.seq) }
        }
    }

    /// Moves a newly sealed segment from `recent` to `sealed`.
    mutating func adopt(_ segment: SealedSegment) {
        sealed.append(segment)
        let drop = recent.prefix { $0.seq <= segment.seal.lastSeq }.count
        guard drop > 0 else { return }
        recent.removeFirst(drop)
        recentKeys = [:]
        let kept = recent
        recent = []
        remember(kept)
    }
}

/// UTC days, the unit of daily segments.
enum AuditDay {
    static let microseconds: Int64 = 86_400_000_000

    static func of(_ time: Int64) -> Int64 {
        time >= 0 ? time / microseconds : -((-time + microseconds - 1) / microseconds)
    }
}
