import FolkbokStorage

extension AuditLog {
    /// Deletes the oldest sealed segments (segment, index and seal files) whose every entry is
    /// older than `retentionDays` before `clock()`; returns the deleted paths.
    ///
    /// Guarantees: only a prefix of whole sealed segments goes, never the newest sealed one (it
    /// anchors the open segment's chain) nor the open segment; the first remaining seal keeps
    /// the hash before its first entry, so `verify` still works from there. The segment file is
    /// deleted first; seals and indexes orphaned by a crash are removed at the next `open`.
    public func removeExpired() throws -> [String] {
        try fileWork.withLock { _ throws -> [String] in
            let cutoff = clock() - Int64(retentionDays) * AuditDay.microseconds
            let sealed = state.withLock { $0.sealed }
            var count = 0
            while count + 1 < sealed.count, sealed[count].seal.maxTime < cutoff { count += 1 }
            guard count > 0 else { return [] }
            var removed = try wal.removeSegments(upTo: sealed[count - 1].seal.lastSeq, keep: 0)
            let gone = Set(removed)
            let victims = sealed.prefix(count).filter { gone.contains($0.segmentPath) }
            for victim in victims {
                let sealPath = directory + "/" + AuditFiles.sealName(firstSeq: victim.seal.firstSeq)
                try AuditFiles.remove(victim.indexPath, fs: fs)
                try AuditFiles.remove(sealPath, fs: fs)
                removed += [victim.indexPath, sealPath]
            }
            try fs.syncDirectory(directory)
            state.withLock { s in s.sealed.removeFirst(victims.count) }
            return removed
        }
    }
}
