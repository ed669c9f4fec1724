import FolkbokStorage

extension AuditLog {
    /// Opens (creating) the access log in `directory`.
    ///
    /// Recovery: the last segment goes through `WriteAheadLog.recover` (a torn tail is cut off
    /// as for the WAL; other damage there throws its `RecoveryError`). Earlier segments are never
    /// refused: those with a valid seal are trusted for the chain head and indexed from their
    /// index file (rebuilt if missing or corrupt); the others are read, tolerating bad frames,
    /// and sealed now. Tampering is left for `verify` to report.
    /// - Parameters:
    ///   - retentionDays: at least `minimumRetentionDays`, or this throws.
    ///   - clock: microseconds since the epoch, for retention only.
    ///   - segmentBytes: the size a segment grows to (1 MiB at a time); a day that outgrows it spans several segments.
    ///   - gatherSeconds: the writer's pause between syncs (`WriteAheadLog.open`); for batched
    ///     durability, where no answer waits for the sync.
    /// - Complexity: reads every segment once (the WAL counts their bytes) plus every index file.
    public static func open(
        directory: String, fs: any FileSystem, retentionDays: Int, clock: @escaping @Sendable () -> Int64,
        segmentBytes: Int = 16 << 20, gatherSeconds: Double = 0
    ) throws -> AuditLog {
        guard retentionDays >= minimumRetentionDays else { throw AuditError.retentionTooShort(retentionDays) }
        try fs.makeDirectory(directory)
        if let last = try WriteAheadLog.segmentFiles(in: directory, fs: fs).last {
            _ = try WriteAheadLog.recover(
                directory: directory, fs: fs, after: last.firstLSN - 1, truncateCorruptTail: false,
                fromSegment: last.firstLSN
            ) { _, _ in }
        }
        let segments = try WriteAheadLog.segmentFiles(in: directory, fs: fs)
        let sealed = try loadSealedPrefix(segments, directory: directory, fs: fs)
        var state = AuditState(sealed: sealed, durableHead: sealed.last?.seal.lastHash ?? AuditCodec.genesis)
        var front = AuditFront(nextSeq: segments.last?.firstLSN ?? 1)
        for (i, segment) in segments.enumerated().dropFirst(sealed.count) {
            let isLast = i == segments.count - 1
            var expected = segment.firstLSN
            var group = OpenSegment(firstSeq: segment.firstLSN)
            for frame in try WriteAheadLog.readFrames(ofSegment: segment.path, fs: fs).frames {
                guard frame.lsn == expected else { break }
                expected += 1
                state.durableHead = AuditCodec.storedHash(frame.payload) ?? AuditCodec.genesis
                guard let (entry, _) = try? AuditCodec.decode(frame.payload) else { continue }
                group.entries.append(OpenEntry(entry, offset: frame.offset, frameSize: frame.end - frame.offset))
                if isLast { front.latestDay = max(front.latestDay ?? AuditDay.of(entry.time), AuditDay.of(entry.time)) }
            }
            if !isLast { group.endHash = state.durableHead }
            state.open.append(group)
            if isLast { front.nextSeq = expected }
        }
        let pipeline = AuditPipeline(front: front, state: state)
        let wal = try WriteAheadLog.open(
            directory: directory, fs: fs, nextLSN: front.nextSeq, segmentBytes: segmentBytes,
            gatherSeconds: gatherSeconds,
            stage: pipeline)
        let log = AuditLog(
            directory: directory, fs: fs, wal: wal, retentionDays: retentionDays, clock: clock, pipeline: pipeline)
        do {
            try log.fileWork.withLock { _ throws(FileError) in try log.sealPending() }
        } catch {
            wal.close()
            throw error
        }
        return log
    }

    /// The sealed segments at the start of the log: each non-last segment, oldest first, while
    /// it has a valid seal matching its range. Removes seals and indexes older than the first
    /// segment (left behind by retention interrupted by a crash).
    private static func loadSealedPrefix(
        _ segments: [(firstLSN: UInt64, path: String)], directory: String, fs: any FileSystem
    ) throws -> [SealedSegment] {
        var seals: [UInt64: AuditSeal] = [:]
        let firstSegment = segments.first?.firstLSN ?? UInt64.max
        var orphans = false
        for name in try fs.list(directory) {
            guard let (isSeal, firstSeq) = AuditFiles.parse(name) else { continue }
            if firstSeq < firstSegment {
                try AuditFiles.remove(directory + "/" + name, fs: fs)
                orphans = true
            } else if isSeal, let seal = try? AuditSeal.decode(AuditFiles.read(directory + "/" + name, fs: fs)) {
                seals[firstSeq] = seal
            }
        }
        if orphans { try fs.syncDirectory(directory) }
        var sealed: [SealedSegment] = []
        for i in 0..<max(0, segments.count - 1) {
            guard let seal = seals[segments[i].firstLSN], seal.firstSeq == segments[i].firstLSN,
                seal.lastSeq == segments[i + 1].firstLSN - 1
            else { break }
            sealed.append(
                try AuditSealer.loadIndex(seal: seal, segment: segments[i].path, directory: directory, fs: fs))
        }
        return sealed
    }
}
