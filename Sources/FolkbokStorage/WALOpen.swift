import Glibc

extension WriteAheadLog {
    /// Opens the log in `directory` (creating it) to append from `nextLSN` on.
    ///
    /// Run `recover` first. Appends continue at the end of the last segment when it ends
    /// cleanly with LSN `nextLSN - 1` (or is empty and starts at `nextLSN`); otherwise a new
    /// segment is started, so existing bytes are never overwritten.
    /// - Parameters:
    ///   - segmentBytes: the size a segment grows to (a step of `SegmentWriter.growthBytes` at a
    ///     time, as records arrive) before the log moves on to a new one.
    ///   - gatherSeconds: after each write and sync the writer waits this long before taking the
    ///     next batch, so writes that nobody waits on are synced in fewer, larger groups (fewer
    ///     thread wake-ups and syncs); 0 (the default) writes as soon as anything is queued.
    ///   - stage: where records come from instead of `queue` (see `WALStage`); nil by default.
    /// - Complexity: reads every segment once (to count record bytes).
    public static func open(
        directory: String, fs: any FileSystem, nextLSN: UInt64, segmentBytes: Int = 64 << 20, gatherSeconds: Double = 0,
        stage: (any WALStage)? = nil
    ) throws(FileError) -> WriteAheadLog {
        precondition(nextLSN > 0, "LSNs start at 1")
        precondition(segmentBytes >= WALFormat.headerSize + WALFormat.frameHeaderSize, "segment too small")
        try fs.makeDirectory(directory)
        var summaries: [SegmentSummary] = []
        var resumable: (path: String, end: Int)?
        let segments = try listSegments(directory, fs)
        for (index, segment) in segments.enumerated() {
            let file = try fs.readWholeFile(segment.path)
            let found = file.withUnsafeBytes { raw -> (bytes: Int, end: Int, continues: Bool)? in
                guard case .valid(let first) = WALFormat.parseHeader(raw), first == segment.lsn else { return nil }
                let scan = SegmentScan.scan(raw, firstLSN: first) { (_, _, _) throws(Never) in }
                return (scan.end - WALFormat.headerSize, scan.end, scan.stop == .clean && scan.lastLSN &+ 1 == nextLSN)
            }
            guard let found else { continue }
            summaries.append(SegmentSummary(firstLSN: segment.lsn, path: segment.path, recordBytes: found.bytes))
            if index == segments.count - 1 && found.continues { resumable = (segment.path, found.end) }
        }
        let writer: SegmentWriter
        if let resumable {
            let fd = try fs.open(resumable.path, flags: O_RDWR, mode: 0)
            do {
                // Segments of earlier versions were pre-allocated whole; newer ones grow as needed.
                let size = Int(try fs.fileSize(fd))
                writer = SegmentWriter(
                    fs: fs, directory: directory, segmentBytes: segmentBytes, fd: fd, path: resumable.path,
                    offset: resumable.end, capacity: size, limit: max(size, segmentBytes))
            } catch {
                fs.close(fd)
                throw error
            }
        } else {
            let bytes = SegmentWriter.initialBytes(limit: segmentBytes)
            let created = try SegmentWriter.create(fs: fs, directory: directory, firstLSN: nextLSN, bytes: bytes)
            summaries.append(SegmentSummary(firstLSN: nextLSN, path: created.path, recordBytes: 0))
            writer = SegmentWriter(
                fs: fs, directory: directory, segmentBytes: segmentBytes, fd: created.fd, path: created.path,
                offset: WALFormat.headerSize, capacity: bytes, limit: segmentBytes)
        }
        let state = WALState(
            nextLSN: nextLSN, durableLSN: nextLSN - 1, segments: summaries,
            totalBytes: summaries.reduce(0) { $0 + $1.recordBytes })
        return WriteAheadLog(
            core: WALCore(
                state: state, writer: writer, directory: directory, fs: fs, gatherSeconds: gatherSeconds, stage: stage))
    }
}
