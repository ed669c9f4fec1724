import FolkbokStorage

/// What the access log keeps in memory, always under `AuditLog.state`'s lock.
///
/// Guarantees: `head` is the chain hash of entry `nextSeq - 1` (or the anchor before the
/// first); `recent` holds every entry above the last sealed segment, in seq order, and after
/// `indexRecent()` `recentKeys` maps each index key to the seqs of `recent` carrying it,
/// ascending (the index is built when a query needs it, not on the request path).
struct AuditState: Sendable {
    var nextSeq: UInt64
    var head: [UInt8]
    /// UTC day (days since the epoch) of the open segment's first entry; nil while it is empty.
    var openDay: Int64?
    var sealed: [SealedSegment]
    var recent: [AuditEntry] = []
    var recentKeys: [UInt64: [UInt64]] = [:]
    /// How many entries of `recent` (from the front) `recentKeys` covers.
    var recentIndexed = 0
    /// The last sealing failure (sealing is retried); nil once a seal succeeds.
    var sealFailure: FileError?
    /// Called with every batch of entries as they are appended, under the lock, in seq order.
    var observer: (@Sendable ([AuditEntry]) -> Void)?
    /// Called with the last durable seq when the log resumes after a failure, under the lock.
    var rollBackObserver: (@Sendable (UInt64) -> Void)?

    /// Forgets every entry after `seq` (lost in a failed write): the chain continues from
    /// `head`, the hash of entry `seq`; `openSegment` is the first seq of the open segment.
    mutating func rollBack(to seq: UInt64, head: [UInt8], openSegment: UInt64) {
        nextSeq = seq + 1
        self.head = head
        recent.removeAll { $0.seq > seq }
        recentKeys = [:]
        recentIndexed = 0
        openDay = recent.first { $0.seq >= openSegment }.map { AuditDay.of($0.time) }
    }

    mutating func remember(_ entries: [AuditEntry]) {
        recent.append(contentsOf: entries)
    }

    /// Brings `recentKeys` up to date with `recent`.
    /// - Complexity: O(entries appended since the last call).
    mutating func indexRecent() {
        for e in recent[recentIndexed...] {
            for key in AuditKey.keys(of: e) { recentKeys[key, default: []].append(e.seq) }
        }
        recentIndexed = recent.count
    }

    /// Moves a newly sealed segment from `recent` to `sealed`.
    mutating func adopt(_ segment: SealedSegment) {
        sealed.append(segment)
        let drop = recent.prefix { $0.seq <= segment.seal.lastSeq }.count
        guard drop > 0 else { return }
        recent.removeFirst(drop)
        recentKeys = [:]
        recentIndexed = 0
    }
}

/// UTC days, the unit of daily segments.
enum AuditDay {
    static let microseconds: Int64 = 86_400_000_000

    static func of(_ time: Int64) -> Int64 {
        time >= 0 ? time / microseconds : -((-time + microseconds - 1) / microseconds)
    }
}
