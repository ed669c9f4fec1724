import FolkbokStorage

extension AuditLog {
    /// Recomputes the hash chain from the files for every durable entry whose time lies in
    /// `from...to` (nil = open-ended).
    ///
    /// Each checked entry's link is `SHA256(stored hash of the previous entry ‖ its bytes)`
    /// against its own stored hash; an entry whose frame fails its CRC, cannot be decoded, or
    /// is missing counts as broken too. Sealed segments are skipped when their time span misses
    /// the range; for those examined, the seal must agree with the entries (first and last seq,
    /// last hash) and with the previous seal (its `prevHash`), else the segment's first or last
    /// seq is reported. `firstBroken` is the lowest broken seq.
    /// - Complexity: O(bytes of the segments examined).
    public func verify(from: Int64?, to: Int64?) throws -> AuditVerification {
        try fileWork.withLock { _ throws -> AuditVerification in try verifyFiles(from: from, to: to) }
    }

    /// `verify`'s work; call with `fileWork` held, so no segment is sealed or removed meanwhile.
    private func verifyFiles(from: Int64?, to: Int64?) throws -> AuditVerification {
        let lo = from ?? .min, hi = to ?? .max
        let durable = wal.durableLSN
        let segments = wal.segments
        let sealed = state.withLock { $0.sealed }
        var checked = 0
        var broken: UInt64?
        func mark(_ seq: UInt64) { if broken == nil || seq < broken! { broken = seq } }
        for (i, segment) in sealed.enumerated() where segment.seal.overlaps(lo, hi) {
            let seal = segment.seal
            if i > 0 && sealed[i - 1].seal.lastHash != seal.prevHash { mark(seal.firstSeq) }
            let result = try check(
                segment.segmentPath, first: seal.firstSeq, last: seal.lastSeq, previous: seal.prevHash, lo, hi)
            checked += result.checked
            if let seq = result.broken { mark(seq) }
            if result.lastHash != seal.lastHash { mark(seal.lastSeq) }
        }
        var previous = sealed.last?.seal.lastHash ?? AuditCodec.genesis
        let lastSealed = sealed.last?.seal.lastSeq ?? 0
        for (i, segment) in segments.enumerated() where segment.firstLSN > lastSealed && segment.firstLSN <= durable {
            let last = i + 1 < segments.count ? min(segments[i + 1].firstLSN - 1, durable) : durable
            let result = try check(segment.path, first: segment.firstLSN, last: last, previous: previous, lo, hi)
            checked += result.checked
            if let seq = result.broken { mark(seq) }
            previous = result.lastHash
        }
        return AuditVerification(valid: broken == nil, entries: checked, firstBroken: broken)
    }

    /// Checks the links of seqs `first...last` in one segment file.
    private func check(
        _ path: String, first: UInt64, last: UInt64, previous: [UInt8], _ lo: Int64, _ hi: Int64
    ) throws -> (checked: Int, broken: UInt64?, lastHash: [UInt8]) {
        var previous = previous
        var expected = first
        var checked = 0
        var broken: UInt64?
        for frame in try WriteAheadLog.readFrames(ofSegment: path, fs: fs).frames {
            guard frame.lsn == expected, expected <= last else { break }
            expected += 1
            let entry = try? AuditCodec.decode(frame.payload).entry
            if let entry, entry.time < lo || entry.time > hi {
                previous = AuditCodec.storedHash(frame.payload) ?? AuditCodec.genesis
                continue
            }
            checked += 1
            let holds =
                frame.checksumValid && entry?.seq == frame.lsn
                && AuditCodec.linkHolds(frame.payload, previous: previous)
            if !holds && broken == nil { broken = frame.lsn }
            previous = AuditCodec.storedHash(frame.payload) ?? AuditCodec.genesis
        }
        if expected <= last {
            checked += 1
            if broken == nil { broken = expected }
            previous = AuditCodec.genesis
        }
        return (checked, broken, previous)
    }
}
