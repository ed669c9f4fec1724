import Glibc

extension WriteAheadLog {
    /// Reads every segment in `directory` in LSN order and calls `apply` for each record with
    /// LSN above `after`, in order.
    ///
    /// A bad record at the tail of the last segment with no valid record after it (a torn
    /// write) is cut off: the file is zeroed from there and the cut is reported. Any other bad
    /// record, a bad header, or an LSN that does not follow its predecessor is corruption: it
    /// throws, unless `truncateCorruptTail`, in which case the log is cut there (later
    /// segments deleted). Records before the problem have already been passed to `apply` when
    /// it throws, so callers apply into fresh state and discard it on error.
    ///
    /// Segments whose first LSN is below `fromSegment` are not read at all (their records,
    /// good or bad, are the caller's business); the default reads every segment.
    /// - Complexity: O(total log size); one segment is in memory at a time.
    public static func recover(
        directory: String, fs: any FileSystem, after lsn: UInt64, truncateCorruptTail: Bool, fromSegment: UInt64 = 0,
        _ apply: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws(RecoveryError) -> RecoveryReport {
        var report = RecoveryReport()
        let segments: [(lsn: UInt64, path: String)]
        do {
            segments = try listSegments(directory, fs).filter { $0.lsn >= fromSegment }
        } catch {
            if error.errno == ENOENT { return report }
            throw RecoveryError(.io(error), file: directory, offset: 0)
        }
        var expected: UInt64?
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            let file: [UInt8]
            do { file = try fs.readWholeFile(segment.path) } catch {
                throw RecoveryError(.io(error), file: segment.path, offset: 0)
            }
            report.segments += 1
            let cut = try file.withUnsafeBytes { raw in
                Result { () throws(RecoveryError) -> (offset: Int, reason: String)? in
                    try examine(
                        raw, segment, isLast: isLast, after: lsn, expected: &expected, truncateCorruptTail, &report,
                        apply)
                }
            }.get()
            if let cut {
                try truncate(
                    segment.path, at: cut.offset, file: file, later: segments[(index + 1)...].map(\.path), fs, &report)
                break
            }
        }
        return report
    }

    /// Checks one segment's header and records, applying them; returns where to cut the log,
    /// or `nil` if the segment is fine. Throws for corruption that is not to be cut.
    private static func examine(
        _ raw: UnsafeRawBufferPointer, _ segment: (lsn: UInt64, path: String), isLast: Bool, after lsn: UInt64,
        expected: inout UInt64?, _ truncateCorruptTail: Bool, _ report: inout RecoveryReport,
        _ apply: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws(RecoveryError) -> (offset: Int, reason: String)? {
        func corrupt(_ reason: String, at offset: Int) throws(RecoveryError) -> (offset: Int, reason: String) {
            guard truncateCorruptTail else {
                throw RecoveryError(.corruption(reason: reason), file: segment.path, offset: Int64(offset))
            }
            return (offset, reason)
        }
        let first: UInt64
        switch WALFormat.parseHeader(raw) {
        case .blank where isLast:
            return (0, "blank segment header")
        case .blank:
            return try corrupt("blank segment header", at: 0)
        case .invalid(let reason)
        where isLast && raw.slice(min(raw.count, WALFormat.headerSize)..<raw.count).allSatisfy({ $0 == 0 }):
            return (0, "torn segment header (\(reason))")
        case .invalid(let reason):
            return try corrupt(reason, at: 0)
        case .valid(let headerLSN):
            first = headerLSN
        }
        guard first == segment.lsn else {
            return try corrupt("header says first LSN \(first) but the file name says \(segment.lsn)", at: 0)
        }
        if let need = expected, first != need, !(first > need && first <= lsn &+ 1) {
            return try corrupt(
                "segment starts at LSN \(first) but the previous one ended at \(need &- 1)", at: WALFormat.headerSize)
        }
        if expected == nil, first > lsn &+ 1 {
            throw RecoveryError(.missingRecords(needed: lsn &+ 1, logStarts: first), file: segment.path, offset: 0)
        }
        let scan = try scanApplying(raw, first: first, after: lsn, path: segment.path, &report, apply)
        expected = scan.lastLSN &+ 1
        if scan.frames > 0 { report.lastLSN = scan.lastLSN }
        guard case .bad(let offset, let reason, let follows) = scan.stop else { return nil }
        if isLast && !follows { return (offset, reason) }
        return try corrupt(
            follows ? "\(reason); valid records follow, so this is not a torn write" : reason, at: offset)
    }

    private static func scanApplying(
        _ raw: UnsafeRawBufferPointer, first: UInt64, after lsn: UInt64, path: String, _ report: inout RecoveryReport,
        _ apply: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws(RecoveryError) -> SegmentScan {
        var applied = 0
        let scan = try SegmentScan.scan(raw, firstLSN: first) { (recordLSN, payload, offset) throws(RecoveryError) in
            guard recordLSN > lsn else { return }
            do {
                try apply(recordLSN, payload)
            } catch {
                throw RecoveryError(
                    .applyFailed(lsn: recordLSN, underlying: SendableErrorBox(error)), file: path, offset: Int64(offset)
                )
            }
            applied += 1
        }
        report.applied += applied
        return scan
    }

    /// Cuts the log at `offset` in `path`: deletes the later segments (newest first), then
    /// zeroes `path` from `offset` (or deletes it when `offset` is 0) and syncs.
    private static func truncate(
        _ path: String, at offset: Int, file: [UInt8], later: [String], _ fs: any FileSystem,
        _ report: inout RecoveryReport
    ) throws(RecoveryError) {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        do {
            for victim in later.reversed() {
                report.droppedBytes += try fs.readWholeFile(victim).reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
                try fs.unlink(victim)
                report.removedSegments.insert(victim, at: 0)
            }
            report.droppedBytes += file[offset...].reduce(0) { $0 + ($1 == 0 ? 0 : 1) }
            if offset == 0 {
                try fs.unlink(path)
                report.removedSegments.insert(path, at: 0)
            } else {
                let fd = try fs.open(path, flags: O_RDWR, mode: 0)
                defer { fs.close(fd) }
                try fs.ftruncate(fd, Int64(offset))
                try fs.ftruncate(fd, Int64(file.count))
                try fs.fsync(fd)
            }
            try fs.syncDirectory(directory.isEmpty ? "." : directory)
        } catch {
            throw RecoveryError(.io(error), file: path, offset: Int64(offset))
        }
        report.truncatedTail = (path, Int64(offset))
    }

    /// The segment files of `directory`, oldest first.
    static func listSegments(_ directory: String, _ fs: any FileSystem) throws(FileError) -> [(
        lsn: UInt64, path: String
    )] {
        try fs.list(directory).compactMap { name in
            WALFormat.firstLSN(ofSegmentNamed: name).map { ($0, directory + "/" + name) }
        }.sorted { $0.lsn < $1.lsn }
    }
}

/// Carries a caller's error inside a `Sendable` `RecoveryError`; only its type is ever printed.
struct SendableErrorBox: Error, @unchecked Sendable {
    let error: any Error
    init(_ error: any Error) { self.error = error }
}
