import FolkbokStorage
import Glibc

/// A sealed segment as the log keeps it in memory: the seal, the files, the index fan-out.
struct SealedSegment: Sendable {
    let seal: AuditSeal
    let segmentPath: String
    let indexPath: String
    let index: AuditIndexFile
}

/// Seals finished segments and rebuilds their indexes, from facts kept in memory or by reading
/// the segment file itself.
///
/// Guarantees: the index file is written (atomically) before the seal file, and the seal is
/// the commit point: a segment with a valid seal always has, or can rebuild, its index. The
/// seal records the hashes as stored on disk, even where a link is broken, so `verify` reports
/// the damage instead of sealing over it. Reading tolerates frames with bad checksums. A
/// segment whose every entry was found is trimmed to its last frame before it is sealed.
enum AuditSealer {
    /// What a segment holds, as far as its frames can be read.
    struct Facts {
        var pairs: [AuditIndexFile.Pair] = []
        var minTime = Int64.max
        var maxTime = Int64.min
        /// Stored hash of `lastSeq`, or zeros if that entry could not be read.
        var lastHash = [UInt8](repeating: 0, count: 32)
        /// Whether every seq up to `lastSeq` was found in order.
        var complete = false
        /// Offset just past the last frame walked.
        var end = 0
    }

    /// Cuts the unused allocated zeros off a finished segment (the WAL format ends a
    /// segment at end of file as at a zero length), so reads and disk use follow its contents.
    private static func trim(_ path: String, to end: Int, fs: any FileSystem) throws(FileError) {
        let fd = try fs.open(path, flags: O_RDWR, mode: 0)
        defer { fs.close(fd) }
        guard try fs.fileSize(fd) > Int64(end) else { return }
        try fs.ftruncate(fd, Int64(end))
        try fs.fsync(fd)
    }

    /// Writes the index and seal of the segment at `path` holding seqs `firstSeq...lastSeq`,
    /// from `facts` when the caller has them (kept in memory as the entries were written), else
    /// from a scan of the segment.
    static func seal(
        segment path: String, firstSeq: UInt64, lastSeq: UInt64, prevHash: [UInt8], directory: String,
        fs: any FileSystem,
        facts known: Facts? = nil
    ) throws(FileError) -> SealedSegment {
        let facts: Facts
        if let known {
            facts = known
        } else {
            facts = try scan(segment: path, firstSeq: firstSeq, lastSeq: lastSeq, fs: fs)
        }
        if facts.complete { try trim(path, to: facts.end, fs: fs) }
        let indexPath = directory + "/" + AuditFiles.indexName(firstSeq: firstSeq)
        let indexBytes = AuditIndexFile.build(facts.pairs, firstSeq: firstSeq, lastSeq: lastSeq)
        try AuditFiles.writeAtomically(indexBytes, to: indexPath, fs: fs)
        let seal = AuditSeal(
            firstSeq: firstSeq, lastSeq: lastSeq, minTime: facts.minTime, maxTime: facts.maxTime,
            prevHash: prevHash, lastHash: facts.lastHash)
        try AuditFiles.writeAtomically(
            seal.encoded(), to: directory + "/" + AuditFiles.sealName(firstSeq: firstSeq), fs: fs)
        try fs.syncDirectory(directory)
        guard let index = AuditIndexFile.load(indexBytes, firstSeq: firstSeq, lastSeq: lastSeq) else {
            preconditionFailure("a freshly built index must load")
        }
        return SealedSegment(seal: seal, segmentPath: path, indexPath: indexPath, index: index)
    }

    /// Loads the index of a sealed segment, rebuilding it from the segment if it is missing or
    /// does not check out.
    static func loadIndex(seal: AuditSeal, segment path: String, directory: String, fs: any FileSystem)
        throws(FileError) -> SealedSegment
    {
        let indexPath = directory + "/" + AuditFiles.indexName(firstSeq: seal.firstSeq)
        if let bytes = try? AuditFiles.read(indexPath, fs: fs),
            let index = AuditIndexFile.load(bytes, firstSeq: seal.firstSeq, lastSeq: seal.lastSeq)
        {
            return SealedSegment(seal: seal, segmentPath: path, indexPath: indexPath, index: index)
        }
        let facts = try scan(segment: path, firstSeq: seal.firstSeq, lastSeq: seal.lastSeq, fs: fs)
        let bytes = AuditIndexFile.build(facts.pairs, firstSeq: seal.firstSeq, lastSeq: seal.lastSeq)
        try AuditFiles.writeAtomically(bytes, to: indexPath, fs: fs)
        try fs.syncDirectory(directory)
        guard let index = AuditIndexFile.load(bytes, firstSeq: seal.firstSeq, lastSeq: seal.lastSeq) else {
            preconditionFailure("a freshly built index must load")
        }
        return SealedSegment(seal: seal, segmentPath: path, indexPath: indexPath, index: index)
    }

    /// Reads the frames with seqs `firstSeq...lastSeq` in order (stopping where the order
    /// breaks) and collects their index keys, time span and the last stored hash.
    static func scan(segment path: String, firstSeq: UInt64, lastSeq: UInt64, fs: any FileSystem) throws(FileError)
        -> Facts
    {
        var facts = Facts()
        var expected = firstSeq
        for frame in try WriteAheadLog.readFrames(ofSegment: path, fs: fs).frames {
            guard frame.lsn == expected, expected <= lastSeq else { break }
            expected += 1
            facts.end = frame.end
            facts.complete = expected > lastSeq
            if frame.lsn == lastSeq, let hash = AuditCodec.storedHash(frame.payload) { facts.lastHash = hash }
            guard let (entry, _) = try? AuditCodec.decode(frame.payload) else { continue }
            facts.minTime = min(facts.minTime, entry.time)
            facts.maxTime = max(facts.maxTime, entry.time)
            for key in AuditKey.keys(of: entry) {
                facts.pairs.append(AuditIndexFile.Pair(key: key, seq: frame.lsn, offset: UInt32(frame.offset)))
            }
        }
        return facts
    }
}
