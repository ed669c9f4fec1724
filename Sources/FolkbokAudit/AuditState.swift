import FolkbokStorage

/// What the access log keeps in memory about what is on disk, always under `AuditLog.state`'s
/// lock: the sealed segments, and for the segments not sealed yet, a compact line per durable
/// entry (`OpenEntry`), enough to answer queries and seal the segment without reading it back.
///
/// Guarantees: `open` holds every durable entry above the last sealed segment that could be
/// decoded, grouped by segment in seq order (a group begins where an entry was written at the
/// start of a segment); `durableHead` is the stored chain hash of the last durable entry (or the
/// anchor before the first).
struct AuditState: Sendable {
    var sealed: [SealedSegment]
    var open: [OpenSegment] = []
    var durableHead: [UInt8]
    /// The last sealing failure (sealing is retried); nil once a seal succeeds.
    var sealFailure: FileError?

    /// Records a batch that became durable: `offsets[i]` is where entry i's frame begins and
    /// `payloads[i]` its stored payload (ending in its chain hash). An entry at the start of a
    /// segment opens a new group and ends the previous one (whose last hash it records).
    mutating func land(_ entries: [AuditEntry], offsets: [Int], payloads: [(lsn: UInt64, payload: [UInt8])]) {
        // Read in place: copying an entry copies its strings.
        entries.withUnsafeBufferPointer { entries in
            for i in entries.indices {
                if offsets[i] == WriteAheadLog.firstFrameOffset || open.isEmpty {
                    if !open.isEmpty {
                        open[open.count - 1].endHash =
                            i > 0 ? AuditCodec.storedHash(payloads[i - 1].payload) : durableHead
                    }
                    open.append(OpenSegment(firstSeq: entries[i].seq))
                }
                let frameSize = WriteAheadLog.frameSize(payload: payloads[i].payload.count)
                open[open.count - 1].entries.append(OpenEntry(entries[i], offset: offsets[i], frameSize: frameSize))
            }
        }
        if let last = payloads.last, let hash = AuditCodec.storedHash(last.payload) { durableHead = hash }
    }

    /// Moves a newly sealed segment from `open` to `sealed`.
    mutating func adopt(_ segment: SealedSegment) {
        sealed.append(segment)
        open.removeAll { $0.firstSeq <= segment.seal.lastSeq }
    }
}

/// The durable entries of one segment not sealed yet.
struct OpenSegment: Sendable {
    let firstSeq: UInt64
    var entries: [OpenEntry] = []
    /// The stored hash of the segment's last entry, once a later segment has begun.
    var endHash: [UInt8]?

    init(firstSeq: UInt64, entries: [OpenEntry] = [], endHash: [UInt8]? = nil) {
        self.firstSeq = firstSeq
        self.entries = entries
        self.endHash = endHash
    }

    /// What sealing needs, if this group holds exactly the entries `firstSeq...lastSeq` and
    /// knows the last one's hash; nil otherwise (then the segment is read instead).
    func facts(lastSeq: UInt64) -> AuditSealer.Facts? {
        guard let endHash, let last = entries.last, last.seq == lastSeq,
            UInt64(entries.count) == lastSeq - firstSeq + 1
        else { return nil }
        var facts = AuditSealer.Facts()
        facts.pairs.reserveCapacity(entries.count * 2)
        for e in entries {
            facts.minTime = min(facts.minTime, e.time)
            facts.maxTime = max(facts.maxTime, e.time)
            e.forEachKey { facts.pairs.append(AuditIndexFile.Pair(key: $0, seq: e.seq, offset: e.offset)) }
        }
        facts.lastHash = endHash
        facts.complete = true
        facts.end = Int(last.offset) + Int(last.frameSize)
        return facts
    }
}

/// One durable entry of an unsealed segment: its seq, time, index keys and where its frame is.
struct OpenEntry: Sendable {
    let seq: UInt64
    let time: Int64
    let offset: UInt32
    let frameSize: UInt32
    let customerKey: UInt64
    /// `AuditKey.person` of the identity asked for, if any.
    let personKey: UInt64?
    /// `AuditKey.person` of the identity answered, if any and different from the one asked for.
    let resolvedKey: UInt64?

    init(_ e: borrowing AuditEntry, offset: Int, frameSize: Int) {
        seq = e.seq
        time = e.time
        self.offset = UInt32(offset)
        self.frameSize = UInt32(frameSize)
        customerKey = e.caller.customerKey
        personKey = e.person.map(AuditKey.person)
        resolvedKey = e.resolved.flatMap { $0 == e.person ? nil : AuditKey.person($0) }
    }

    /// Calls `body` with each key the entry is indexed under (as `AuditKey.keys(of:)`).
    func forEachKey(_ body: (UInt64) -> Void) {
        body(customerKey)
        if let personKey { body(personKey) }
        if let resolvedKey { body(resolvedKey) }
    }

    func has(_ key: UInt64) -> Bool { customerKey == key || personKey == key || resolvedKey == key }
}

/// UTC days, the unit of daily segments.
enum AuditDay {
    static let microseconds: Int64 = 86_400_000_000

    static func of(_ time: Int64) -> Int64 {
        time >= 0 ? time / microseconds : -((-time + microseconds - 1) / microseconds)
    }
}
