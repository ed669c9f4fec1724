import Dispatch
import FolkbokSync
import Glibc
import Synchronization

/// A `RealFileSystem` that fails on command, for tests.
///
/// Guarantees: with no fault armed it behaves exactly like `RealFileSystem`. Counts start
/// when a fault is armed: `failWrites(after: n)` lets `n` more `pwrite`s succeed and fails
/// every later one (writing nothing); `shortWrite(after: n)` lets `n` succeed, writes half of
/// the next one and fails it with `EIO`, then lets later writes succeed again (a one-off); `failSync(after: n)` does the same for
/// `fdatasync`/`fsync` of files (directory syncs too). `fillDisk()` acts like a full volume:
/// every write or `ftruncate` that would make a file longer fails with `ENOSPC` (writing
/// nothing), while writes inside a file's current size still succeed. `failNextCreate` and
/// `failNextRename` fail the next `open` with `O_CREAT`, or the next `rename`, once.
///
/// It also keeps track of descriptors: `openDescriptors` counts those opened and not yet
/// closed, and a `close` of a descriptor it did not open or already closed is counted in
/// `strayCloses` and not passed on (a double close would close another thread's file; here it
/// shows in the test instead). Thread-safe.
public final class FaultyFileSystem: FileSystem {
    private struct Faults {
        var writesLeft: Int?
        var writeErrno: Int32 = EIO
        var shortWrite = false
        var syncsLeft: Int?
        var syncErrno: Int32 = EIO
        var writes = 0
        var syncs = 0
        var diskFull = false
        var createErrno: Int32?
        var renameErrno: Int32?
        /// Syncs wait here while set (a stalled disk), until `releaseSyncs`.
        var stall: DispatchSemaphore?
        var open: Set<Int32> = []
        var strayCloses = 0
    }

    private enum WriteDecision { case pass, fail(Int32), short }

    private let real = RealFileSystem()
    private let faults = Locked(Faults())

    public init() {}

    /// After `n` more successful writes, every write fails with `errno`.
    public func failWrites(after n: Int, errno: Int32 = ENOSPC) {
        faults.withLock {
            $0.writesLeft = n
            $0.writeErrno = errno
            $0.shortWrite = false
        }
    }

    /// After `n` more successful writes, the next writes half its bytes and fails with `EIO`;
    /// later writes succeed.
    public func shortWrite(after n: Int) {
        faults.withLock {
            $0.writesLeft = n
            $0.writeErrno = EIO
            $0.shortWrite = true
        }
    }

    /// After `n` more successful syncs, every sync fails with `errno`.
    public func failSync(after n: Int, errno: Int32 = EIO) {
        faults.withLock {
            $0.syncsLeft = n
            $0.syncErrno = errno
        }
    }

    /// From now on no file may grow: writes and truncations past a file's end fail with `ENOSPC`.
    public func fillDisk() {
        faults.withLock { $0.diskFull = true }
    }

    /// The next `open` that would create a file fails with `errno`, creating nothing; later ones succeed.
    public func failNextCreate(errno: Int32 = ENOSPC) {
        faults.withLock { $0.createErrno = errno }
    }

    /// The next `rename` fails with `errno`, renaming nothing; later ones succeed.
    public func failNextRename(errno: Int32 = EIO) {
        faults.withLock { $0.renameErrno = errno }
    }

    /// From now on every sync blocks (a disk that stalls) until `releaseSyncs`.
    public func stallSyncs() {
        faults.withLock { $0.stall = DispatchSemaphore(value: 0) }
    }

    /// Lets stalled syncs (and later ones) go on.
    public func releaseSyncs() {
        guard
            let stall = faults.withLock({ f -> DispatchSemaphore? in
                defer { f.stall = nil }
                return f.stall
            })
        else { return }
        for _ in 0..<1024 { stall.signal() }
    }

    /// Disarms every fault (and frees the disk).
    public func heal() {
        faults.withLock {
            $0.writesLeft = nil
            $0.syncsLeft = nil
            $0.shortWrite = false
            $0.diskFull = false
            $0.createErrno = nil
            $0.renameErrno = nil
        }
    }

    /// Descriptors opened through this file system and not closed yet.
    public var openDescriptors: Int { faults.withLock { $0.open.count } }

    /// Closes of descriptors this file system had not opened, or had already closed.
    public var strayCloses: Int { faults.withLock { $0.strayCloses } }

    /// Writes and syncs attempted so far (successful or not).
    public var counts: (writes: Int, syncs: Int) { faults.withLock { ($0.writes, $0.syncs) } }

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(FileError) -> Int32 {
        if flags & O_CREAT != 0,
            let code = faults.withLock({ f -> Int32? in
                defer { f.createErrno = nil }
                return f.createErrno
            })
        {
            throw FileError(path: path, operation: "open", errno: code)
        }
        let fd = try real.open(path, flags: flags, mode: mode)
        faults.withLock { _ = $0.open.insert(fd) }
        return fd
    }

    public func close(_ fd: Int32) {
        let known = faults.withLock { f -> Bool in
            guard f.open.remove(fd) != nil else {
                f.strayCloses += 1
                return false
            }
            return true
        }
        if known { real.close(fd) }
    }

    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(FileError) {
        let full = faults.withLock { $0.diskFull }
        if full, offset + Int64(bytes.count) > (try real.fileSize(fd)) {
            faults.withLock { $0.writes += 1 }
            throw FileError(path: RealFileSystem.describe(fd), operation: "pwrite", errno: ENOSPC)
        }
        let decision = faults.withLock { f -> WriteDecision in
            f.writes += 1
            guard let left = f.writesLeft else { return .pass }
            if left > 0 {
                f.writesLeft = left - 1
                return .pass
            }
            if f.shortWrite {
                f.shortWrite = false
                f.writesLeft = nil
                return .short
            }
            return .fail(f.writeErrno)
        }
        switch decision {
        case .pass:
            try real.pwrite(fd, bytes, at: offset)
        case .short:
            try real.pwrite(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<bytes.count / 2]), at: offset)
            throw FileError(path: RealFileSystem.describe(fd), operation: "pwrite", errno: EIO)
        case .fail(let code):
            throw FileError(path: RealFileSystem.describe(fd), operation: "pwrite", errno: code)
        }
    }

    public func pread(_ fd: Int32, into: UnsafeMutableRawBufferPointer, at offset: Int64) throws(FileError) -> Int {
        try real.pread(fd, into: into, at: offset)
    }

    public func fdatasync(_ fd: Int32) throws(FileError) {
        try checkSync(RealFileSystem.describe(fd), "fdatasync")
        try real.fdatasync(fd)
    }

    public func fsync(_ fd: Int32) throws(FileError) {
        try checkSync(RealFileSystem.describe(fd), "fsync")
        try real.fsync(fd)
    }

    public func ftruncate(_ fd: Int32, _ size: Int64) throws(FileError) {
        if faults.withLock({ $0.diskFull }), size > (try real.fileSize(fd)) {
            throw FileError(path: RealFileSystem.describe(fd), operation: "ftruncate", errno: ENOSPC)
        }
        try real.ftruncate(fd, size)
    }
    public func fileSize(_ fd: Int32) throws(FileError) -> Int64 { try real.fileSize(fd) }
    public func rename(_ from: String, _ to: String) throws(FileError) {
        if let code = faults.withLock({ f -> Int32? in
            defer { f.renameErrno = nil }
            return f.renameErrno
        }) {
            throw FileError(path: from, operation: "rename", errno: code)
        }
        try real.rename(from, to)
    }
    public func unlink(_ path: String) throws(FileError) { try real.unlink(path) }
    public func list(_ directory: String) throws(FileError) -> [String] { try real.list(directory) }
    public func makeDirectory(_ path: String) throws(FileError) { try real.makeDirectory(path) }

    public func syncDirectory(_ path: String) throws(FileError) {
        try checkSync(path, "fsync (directory)")
        try real.syncDirectory(path)
    }

    private func checkSync(_ path: String, _ operation: String) throws(FileError) {
        if let stall = faults.withLock({ $0.stall }) {
            stall.wait()
            stall.signal()
        }
        let failing: Int32? = faults.withLock { f in
            f.syncs += 1
            guard let left = f.syncsLeft else { return nil }
            if left > 0 {
                f.syncsLeft = left - 1
                return nil
            }
            return f.syncErrno
        }
        if let code = failing { throw FileError(path: path, operation: operation, errno: code) }
    }
}
