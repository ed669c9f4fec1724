import FolkbokStorage
import Foundation
import Glibc

/// Catch-up from a snapshot: a replica starting with an empty register (a first start, or
/// `--resync`) copies the primary's newest snapshot into its data directory before recovery
/// loads it, then follows the log after it. The primary's log need not reach back to LSN 1.
///
/// Guarantees: the copy is written to a temporary file, fsynced and renamed (so a torn copy is
/// never taken for a snapshot), every chunk arrived with a good CRC32C, and recovery verifies
/// the file as it does any snapshot. Progress is logged every tenth of the file. If the
/// primary cannot be reached or has no snapshot, the replica starts empty and follows the log.
enum SnapshotCopy {
    static let chunkBytes = 1 << 20

    /// Whether `directory` holds no register yet (no log segment, no snapshot).
    static func registerIsEmpty(_ directory: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return !names.contains {
            ($0.hasPrefix("wal-") && $0.hasSuffix(".log")) || ($0.hasPrefix("snapshot-") && $0.hasSuffix(".fbsnap"))
        }
    }

    /// The replica's side: asks the primary at `address` for its newest snapshot and stores it
    /// (and the primary's epoch history) in `directory`.
    static func fetch(from endpoint: ReplicationEndpoint, address: String, into directory: String, logger: Logger) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let socket = try endpoint.connect()
            try socket.send(ReplicationFrame(kind: .snapshotRequest, body: []))
            guard let welcome = try socket.next(timeout: 10) else {
                throw FrameSocket.LinkError(description: "the primary did not answer")
            }
            if welcome.kind == .refuse {
                throw FrameSocket.LinkError(description: "the primary refused: \(welcome.text)")
            }
            guard welcome.kind == .welcome, welcome.body.count > 8,
                let history = EpochHistory(bytes: Array(welcome.body[8...]))
            else {
                throw FrameSocket.LinkError(description: "the primary's welcome is malformed")
            }
            var first = try socket.next(timeout: 30)
            // Heartbeats while the primary writes a newer snapshot first.
            while first?.kind == .heartbeat { first = try socket.next(timeout: 30) }
            guard let begin = first, begin.kind == .snapshotBegin, begin.body.count >= 16 else {
                throw FrameSocket.LinkError(description: "the primary did not start the snapshot")
            }
            let lsn = begin.body.littleEndianU64(at: 0), size = Int(begin.body.littleEndianU64(at: 8))
            guard lsn > 0 else {
                logger.info(
                    "replication.snapshot.none", "the primary has no snapshot; following its log from the start")
                return
            }
            let fs = RealFileSystem(), started = monotonicNow()
            _ = try receive(from: socket, lsn: lsn, size: size, into: directory, address: address, logger: logger)
            try history.save(directory: directory, fs: fs)
            logger.info(
                "replication.snapshot.copied",
                "copied the primary's snapshot at LSN \(lsn) in \(String(format: "%.2f", monotonicNow() - started)) s",
                ["lsn": .int(Int(lsn)), "seconds": .seconds(monotonicNow() - started)])
        } catch {
            logger.warning(
                "replication.snapshot.failed",
                "could not copy a snapshot from the primary \(address) (\(error)); starting empty and following its log",
                ["primary": .string(address)])
        }
    }

    /// Receives the snapshot announced by a `snapshotBegin` (its LSN and size) from `socket`
    /// into `directory` (a temporary file, synced, then renamed to its snapshot name); answers
    /// the snapshot's path. Logs progress every tenth of the file and tells `progress` the bytes
    /// received after every chunk.
    static func receive(
        from socket: FrameSocket, lsn: UInt64, size: Int, into directory: String, address: String, logger: Logger,
        progress: (Int) -> Void = { _ in }
    ) throws -> String {
        let name =
            "snapshot-" + String(repeating: "0", count: max(0, 20 - String(lsn).count)) + String(lsn) + ".fbsnap"
        logger.info(
            "replication.snapshot.copying", "copying the primary's snapshot at LSN \(lsn) (\(size) bytes)",
            ["lsn": .int(Int(lsn)), "bytes": .int(size)])
        let fs = RealFileSystem()
        try fs.replaceAtomically(directory + "/" + name) { (fd) throws(FileError) in
            var written = 0, reported = 0
            while true {
                let frame: ReplicationFrame?
                do { frame = try socket.next(timeout: 30) } catch {
                    throw FileError(path: address, operation: "receive the snapshot (\(error))", errno: EIO)
                }
                guard let frame else {
                    throw FileError(path: address, operation: "receive the snapshot (timed out)", errno: ETIMEDOUT)
                }
                if frame.kind == .snapshotEnd { break }
                guard frame.kind == .snapshotChunk, written + frame.body.count <= size else {
                    throw FileError(
                        path: address, operation: "receive the snapshot (unexpected frame)", errno: EPROTO)
                }
                try frame.body.withUnsafeBytes { raw in
                    Result { () throws(FileError) in try fs.pwrite(fd, raw, at: Int64(written)) }
                }.get()
                written += frame.body.count
                progress(written)
                if size > 0 && written * 10 / size > reported {
                    reported = written * 10 / size
                    logger.info(
                        "replication.snapshot.progress",
                        "copied \(reported * 10) % of the snapshot (\(written) of \(size) bytes)",
                        ["bytes": .int(written), "total": .int(size)])
                }
            }
            guard written == size else {
                throw FileError(
                    path: address, operation: "receive the snapshot (\(written) of \(size) bytes)", errno: EPROTO)
            }
        }
        return directory + "/" + name
    }

    /// The newest snapshot in `directory` and its LSN (nil when there is none).
    static func newest(in directory: String) throws -> (path: String, lsn: UInt64)? {
        guard let path = try SnapshotFile.list(directory: directory, fs: RealFileSystem()).first,
            let name = path.split(separator: "/").last,
            let lsn = UInt64(name.dropFirst("snapshot-".count).dropLast(".fbsnap".count))
        else { return nil }
        return (path, lsn)
    }

    /// The primary's side: sends the newest snapshot in `directory` (LSN 0 and no bytes when
    /// there is none), then ends.
    static func send(from directory: String, to socket: FrameSocket) throws {
        guard let (path, lsn) = try newest(in: directory) else {
            var none: [UInt8] = []
            none.appendLittleEndian(UInt64(0))
            none.appendLittleEndian(UInt64(0))
            try socket.send(ReplicationFrame(kind: .snapshotBegin, body: none))
            return
        }
        try send(path: path, lsn: lsn, to: socket)
    }

    /// Sends the snapshot at `path` (at `lsn`): `snapshotBegin`, its bytes in chunks, `snapshotEnd`.
    static func send(path: String, lsn: UInt64, to socket: FrameSocket) throws {
        let fs = RealFileSystem()
        let fd = try fs.open(path, flags: O_RDONLY, mode: 0)
        defer { fs.close(fd) }
        let size = Int(try fs.fileSize(fd))
        var begin: [UInt8] = []
        begin.appendLittleEndian(lsn)
        begin.appendLittleEndian(UInt64(size))
        try socket.send(ReplicationFrame(kind: .snapshotBegin, body: begin))
        var offset = 0
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        while offset < size {
            let got = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(FileError) -> Int in try fs.pread(fd, into: buffer, at: Int64(offset)) }
            }.get()
            guard got > 0 else { throw FileError(path: path, operation: "read the snapshot to send", errno: EIO) }
            try socket.send(ReplicationFrame(kind: .snapshotChunk, body: Array(chunk[0..<got])))
            offset += got
        }
        try socket.send(ReplicationFrame(kind: .snapshotEnd, body: []))
    }
}
