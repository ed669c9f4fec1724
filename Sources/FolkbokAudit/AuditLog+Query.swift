import FolkbokModel
import FolkbokStorage
import Glibc

extension AuditLog {
    /// Durable entries matching every filter of `query`, in seq order, after its cursor.
    ///
    /// Segments whose time span misses the range are skipped; with a person or customer
    /// filter a sealed segment costs one index read (the key's fan-out bucket) plus one read per
    /// candidate entry at the frame offset the index gives. Without one, overlapping sealed
    /// segments are read whole. In segments not sealed yet, candidates are found in memory
    /// (`OpenEntry`) and read at their offsets. A segment that retention deletes while the
    /// query runs is skipped. A candidate whose frame cannot be decoded throws (naming seq and
    /// file); `verify` says why.
    /// - Complexity: O(sealed segments + unsealed entries + candidates) reads for keyed queries.
    public func query(_ query: AuditQuery) throws -> AuditPage {
        let limit = max(0, query.limit)
        guard limit > 0 else { return AuditPage(entries: [], next: nil) }
        let after = query.after ?? 0
        let key = query.person.map(AuditKey.person) ?? query.customer.map(AuditKey.customer)
        let (sealed, open) = state.withLock { s in (s.sealed, s.open) }
        let from = query.from ?? .min, to = query.to ?? .max
        var found: [AuditEntry] = []
        for segment in sealed where segment.seal.lastSeq > after && segment.seal.overlaps(from, to) {
            if found.count > limit { break }
            do {
                if let key {
                    let hits = try segment.index.lookup(key, path: segment.indexPath, fs: fs).filter { $0.seq > after }
                    try collect(hits, in: segment.segmentPath, query, &found, limit + 1)
                } else {
                    try collectScanned(segment, after: after, query, &found, limit + 1)
                }
            } catch let error as FileError where error.errno == ENOENT && removedByRetention(segment) {
                continue
            }
        }
        let paths = Dictionary(wal.segments.map { ($0.firstLSN, $0.path) }, uniquingKeysWith: { a, _ in a })
        for group in open where found.count <= limit {
            guard let last = group.entries.last, last.seq > after, let path = paths[group.firstSeq] else { continue }
            let start = Self.firstIndex(after: after, count: group.entries.count) { group.entries[$0].seq }
            var hits: [(seq: UInt64, offset: Int)] = []
            for e in group.entries[start...] where e.time >= from && e.time <= to && key.map(e.has) ?? true {
                hits.append((e.seq, Int(e.offset)))
            }
            try collect(hits, in: path, query, &found, limit + 1)
        }
        guard found.count > limit else { return AuditPage(entries: found, next: nil) }
        found.removeLast(found.count - limit)
        return AuditPage(entries: found, next: found.last?.seq)
    }

    /// The first index in `0..<count` whose seq (ascending in the index) is above `after`.
    private static func firstIndex(after: UInt64, count: Int, _ seq: (Int) -> UInt64) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if seq(mid) <= after { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Whether retention has removed `segment` since the query took its snapshot.
    private func removedByRetention(_ segment: SealedSegment) -> Bool {
        state.withLock { s in !s.sealed.contains { $0.seal.firstSeq == segment.seal.firstSeq } }
    }

    static func matches(_ e: AuditEntry, _ q: AuditQuery) -> Bool {
        if let p = q.person, e.person != p && e.resolved != p { return false }
        if let c = q.customer, e.customer != c { return false }
        if let from = q.from, e.time < from { return false }
        if let to = q.to, e.time > to { return false }
        return true
    }

    /// Hits in one segment from which the whole segment is read at once.
    static let wholeSegmentHits = 256

    /// Reads the entries at `hits` (ascending seqs) from the segment at `path` and keeps those
    /// matching `q`, until `found` holds `want`.
    private func collect(
        _ hits: [(seq: UInt64, offset: Int)], in path: String, _ q: AuditQuery, _ found: inout [AuditEntry], _ want: Int
    ) throws {
        guard !hits.isEmpty, found.count < want else { return }
        let fd = try fs.open(path, flags: O_RDONLY, mode: 0)
        defer { fs.close(fd) }
        // Many hits (a customer's export): one sequential read of the segment beats a read per hit.
        let file = hits.count >= Self.wholeSegmentHits ? try fs.readWholeFile(path) : nil
        for hit in hits {
            let read =
                try file.map { WriteAheadLog.frame(inFile: $0, at: hit.offset) }
                ?? WriteAheadLog.readFrame(at: hit.offset, fd: fd, fs: fs)
            guard let frame = read, frame.lsn == hit.seq,
                let (entry, _) = try? AuditCodec.decode(frame.payload), entry.seq == hit.seq
            else { throw AuditError.unreadableEntry(seq: hit.seq, file: path, offset: hit.offset) }
            if Self.matches(entry, q) { found.append(entry) }
            if found.count >= want { return }
        }
    }

    private func collectScanned(
        _ segment: SealedSegment, after: UInt64, _ q: AuditQuery, _ found: inout [AuditEntry], _ want: Int
    ) throws {
        var expected = segment.seal.firstSeq
        for frame in try WriteAheadLog.readFrames(ofSegment: segment.segmentPath, fs: fs).frames {
            guard frame.lsn == expected, expected <= segment.seal.lastSeq else { break }
            expected += 1
            guard frame.lsn > after else { continue }
            guard let (entry, _) = try? AuditCodec.decode(frame.payload), entry.seq == frame.lsn else {
                throw AuditError.unreadableEntry(seq: frame.lsn, file: segment.segmentPath, offset: frame.offset)
            }
            if Self.matches(entry, q) { found.append(entry) }
            if found.count >= want { return }
        }
        if expected <= segment.seal.lastSeq {
            throw AuditError.unreadableEntry(seq: expected, file: segment.segmentPath, offset: 0)
        }
    }
}
