import FolkbokModel
import FolkbokStorage
import Foundation
import Glibc
import XCTest

/// `MemoryFileSystem` must give the storage code the answers real files give: the fuzz targets
/// run recovery and snapshot reading over it and count on finding what real files would show.
final class MemoryFileSystemTests: StorageTestCase {
    /// The outcome of a recovery, with the directory taken out of paths so runs in different
    /// directories compare.
    struct Outcome: Equatable {
        var records: [[UInt8]]
        var lsns: [UInt64]
        var summary: String
        var files: [String: [UInt8]]
    }

    func recover(_ directory: String, fs: any FileSystem, truncate: Bool) throws -> Outcome {
        var records: [[UInt8]] = []
        var lsns: [UInt64] = []
        let summary: String
        do {
            let report = try WriteAheadLog.recover(
                directory: directory, fs: fs, after: 0, truncateCorruptTail: truncate
            ) {
                lsns.append($0)
                records.append(Array($1))
            }
            summary =
                "segments \(report.segments) last \(String(describing: report.lastLSN)) applied \(report.applied) "
                + "cut \(String(describing: report.truncatedTail)) dropped \(report.droppedBytes) removed \(report.removedSegments)"
        } catch {
            summary = "error \(error.description)"
        }
        var files: [String: [UInt8]] = [:]
        for name in try fs.list(directory) { files[name] = try fs.readWholeFile(directory + "/" + name) }
        return Outcome(
            records: records, lsns: lsns, summary: summary.replacingOccurrences(of: directory, with: "DIR"),
            files: files)
    }

    /// What verifying a snapshot found, without its path.
    static func summary(_ result: Result<SnapshotInfo, SnapshotError>) -> String {
        switch result {
        case .success(let info):
            "\(info.version) \(info.lsn) \(info.count) \(info.bytes) \(info.sections.sorted { $0.key < $1.key })"
        case .failure(let error): "\(error.problem) at \(error.offset)"
        }
    }

    /// Copies the files of the real directory `from` whose names pass `including` into `memory` under `to`.
    func copy(_ from: String, into memory: MemoryFileSystem, at to: String, including: (String) -> Bool = { _ in true })
        throws
    {
        try memory.makeDirectory(to)
        for name in try RealFileSystem().list(from) where including(name) {
            let bytes = try RealFileSystem().readWholeFile(from + "/" + name)
            let fd = try memory.open(to + "/" + name, flags: O_WRONLY | O_CREAT, mode: FileModes.file)
            try bytes.withUnsafeBytes { raw in try memory.pwrite(fd, raw, at: 0) }
            memory.close(fd)
        }
    }

    func test_walRoundTrip_overMemory_recoversWhatRealFilesRecover() async throws {
        let real = temporaryDirectory() + "/log"
        let memory = MemoryFileSystem()
        for (directory, fs) in [(real, RealFileSystem() as any FileSystem), ("/data/log", memory)] {
            let wal = try WriteAheadLog.open(directory: directory, fs: fs, nextLSN: 1, segmentBytes: 16 << 10)
            for start in stride(from: UInt64(1), through: 500, by: 25) {
                try await wal.append(Samples.entries(start...(start + 24)))
            }
            XCTAssertEqual(wal.durableLSN, 500)
            wal.close()
        }
        let fromDisk = try recover(real, fs: RealFileSystem(), truncate: false)
        let fromMemory = try recover("/data/log", fs: memory, truncate: false)
        XCTAssertEqual(fromMemory, fromDisk)
        XCTAssertEqual(fromMemory.lsns, Array(1...500))
        XCTAssertGreaterThan(fromMemory.files.count, 3)
    }

    func test_walFixtures_recoverOverMemoryAsOverRealFiles() throws {
        for fixture in ["v1-wal-grown", "v1-wal-torn-tail"] {
            for truncate in [false, true] {
                for corruptAt in [nil, 30, 200] as [Int?] {
                    let real = temporaryDirectory()
                    let memory = MemoryFileSystem()
                    try copy(FixtureTests.fixtures + "/" + fixture, into: memory, at: "/log")
                    for name in try memory.list("/log") {
                        writeFile(real + "/" + name, try memory.readWholeFile("/log/" + name))
                    }
                    if let corruptAt {
                        for (fs, directory) in [(RealFileSystem() as any FileSystem, real), (memory, "/log")] {
                            let fd = try fs.open(directory + "/wal-00000000000000000001.log", flags: O_RDWR, mode: 0)
                            try [UInt8(0x5a)].withUnsafeBytes { try fs.pwrite(fd, $0, at: Int64(corruptAt)) }
                            fs.close(fd)
                        }
                    }
                    let fromDisk = try recover(real, fs: RealFileSystem(), truncate: truncate)
                    let fromMemory = try recover("/log", fs: memory, truncate: truncate)
                    XCTAssertEqual(
                        fromMemory, fromDisk,
                        "\(fixture), truncate \(truncate), corrupt at \(String(describing: corruptAt))")
                    XCTAssertEqual(
                        try WriteAheadLog.readFrames(ofSegment: "/log/wal-00000000000000000001.log", fs: memory).frames
                            .map(\.lsn),
                        try WriteAheadLog.readFrames(
                            ofSegment: real + "/wal-00000000000000000001.log", fs: RealFileSystem()
                        ).frames.map(\.lsn))
                }
            }
        }
    }

    func test_snapshotFixtures_verifyOverMemoryAsOverRealFiles() throws {
        let memory = MemoryFileSystem()
        try copy(FixtureTests.fixtures, into: memory, at: "/fixtures") { $0.hasSuffix(".fbsnap") }
        let names = try memory.list("/fixtures").filter { $0.hasSuffix(".fbsnap") }
        XCTAssertGreaterThanOrEqual(names.count, 5)
        for name in names {
            let fromDisk = Self.summary(
                SnapshotFile.verify(path: FixtureTests.fixtures + "/" + name, fs: RealFileSystem()))
            XCTAssertEqual(Self.summary(SnapshotFile.verify(path: "/fixtures/" + name, fs: memory)), fromDisk, name)
        }
    }

    func test_snapshotWrite_overMemory_writesTheBytesRealFilesGetAndReadsBack() throws {
        let real = temporaryDirectory()
        let memory = MemoryFileSystem()
        try memory.makeDirectory("/snapshots")
        let onDisk = try SnapshotFile.write(
            directory: real, lsn: 7, records: FixtureTests.records, sections: ["extra": [1, 2, 3]], fs: RealFileSystem()
        )
        let inMemory = try SnapshotFile.write(
            directory: "/snapshots", lsn: 7, records: FixtureTests.records, sections: ["extra": [1, 2, 3]], fs: memory)
        XCTAssertEqual(try memory.readWholeFile(inMemory.path), readFile(onDisk.path))
        XCTAssertEqual(
            try memory.list("/snapshots"), [String(onDisk.path.split(separator: "/").last!)],
            "the temporary file is renamed away")
        XCTAssertEqual(memory.mode(of: inMemory.path), FileModes.file)
        var read: [PersonRecord] = []
        _ = try SnapshotFile.read(path: inMemory.path, fs: memory) { read.append($1) }
        XCTAssertEqual(read, FixtureTests.records.map(\.1))
    }

    /// Opt-in: `FOLKBOK_FUZZ_CORPUS=Fuzz/.build/corpus` runs what `fuzz-wal` and `fuzz-snapshot`
    /// learned through recovery and verification over both file systems and compares, so the
    /// targets are known to see what real files would show them. WAL inputs are taken as they
    /// are (byte 0 dropped, no checksum fix-up).
    func test_fuzzCorpus_readsOverMemoryAsOverRealFiles() throws {
        guard let corpus = ProcessInfo.processInfo.environment["FOLKBOK_FUZZ_CORPUS"] else {
            throw XCTSkip("set FOLKBOK_FUZZ_CORPUS to the fuzzers' corpus directory")
        }
        let walInputs = try RealFileSystem().list(corpus + "/wal")
        for name in walInputs {
            let segment = Array(try RealFileSystem().readWholeFile(corpus + "/wal/" + name).dropFirst())
            let real = temporaryDirectory()
            writeFile(real + "/wal-00000000000000000001.log", segment)
            let memory = MemoryFileSystem()
            try memory.makeDirectory("/corpus")
            try memory.writeFile("/corpus/wal-00000000000000000001.log", segment)
            for truncate in [false, true] {
                XCTAssertEqual(
                    try recover("/corpus", fs: memory, truncate: truncate),
                    try recover(real, fs: RealFileSystem(), truncate: truncate), name)
            }
        }
        let snapshotInputs = try RealFileSystem().list(corpus + "/snapshot")
        for name in snapshotInputs {
            let bytes = try RealFileSystem().readWholeFile(corpus + "/snapshot/" + name)
            let real = temporaryDirectory() + "/s.fbsnap"
            writeFile(real, bytes)
            let memory = MemoryFileSystem()
            try memory.writeFile("/s.fbsnap", bytes)
            XCTAssertEqual(
                Self.summary(SnapshotFile.verify(path: "/s.fbsnap", fs: memory)),
                Self.summary(SnapshotFile.verify(path: real, fs: RealFileSystem())), name)
        }
        print("compared \(walInputs.count) log and \(snapshotInputs.count) snapshot inputs")
    }

    func test_errors_areTheErrnosLinuxGives() throws {
        let fs = MemoryFileSystem()
        func errno(_ body: () throws -> Void) -> Int32? {
            do { try body() } catch { return (error as? FileError)?.errno ?? -1 }
            return nil
        }
        XCTAssertEqual(errno { _ = try fs.open("/a/f", flags: O_RDWR | O_CREAT, mode: 0o600) }, ENOENT)
        XCTAssertEqual(errno { _ = try fs.open("/f", flags: O_RDONLY, mode: 0) }, ENOENT)
        try fs.makeDirectory("/a/b")
        XCTAssertNil(errno { try fs.makeDirectory("/a/b") })
        let fd = try fs.open("/a/b/f", flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
        XCTAssertEqual(errno { _ = try fs.open("/a/b/f", flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o600) }, EEXIST)
        XCTAssertEqual(errno { _ = try fs.open("/a/b/f", flags: O_RDONLY | O_DIRECTORY, mode: 0) }, ENOTDIR)
        XCTAssertEqual(errno { try fs.makeDirectory("/a/b/f/g") }, ENOTDIR)
        XCTAssertEqual(errno { _ = try fs.list("/a/b/f") }, ENOTDIR)
        XCTAssertEqual(errno { _ = try fs.list("/nothing") }, ENOENT)
        XCTAssertEqual(errno { try fs.unlink("/a/b") }, EISDIR)
        XCTAssertEqual(errno { try fs.unlink("/a/b/g") }, ENOENT)
        XCTAssertEqual(errno { try fs.rename("/a/b/g", "/a/b/h") }, ENOENT)
        XCTAssertEqual(errno { try fs.fsync(99) }, EBADF)
        let readOnly = try fs.open("/a/b/f", flags: O_RDONLY, mode: 0)
        XCTAssertEqual(errno { try ([1] as [UInt8]).withUnsafeBytes { try fs.pwrite(readOnly, $0, at: 0) } }, EBADF)
        XCTAssertEqual(errno { try fs.ftruncate(readOnly, 0) }, EBADF)
        fs.close(readOnly)
        XCTAssertEqual(errno { try fs.ftruncate(fd, Int64(MemoryFileSystem.maximumFileSize) + 1) }, EFBIG)
        fs.close(fd)
        XCTAssertEqual(errno { try fs.fsync(fd) }, EBADF, "a closed descriptor is gone")
        XCTAssertEqual(Set(try fs.list("/a")), ["b"])
        XCTAssertEqual(Set(try fs.list("/a/b")), ["f"])
    }

    func test_files_growWithZerosAndReadShortAtTheEnd() throws {
        let fs = MemoryFileSystem()
        try fs.makeDirectory("d")
        let fd = try fs.open("./d//f", flags: O_RDWR | O_CREAT, mode: 0o600)
        try ([7, 8] as [UInt8]).withUnsafeBytes { try fs.pwrite(fd, $0, at: 3) }
        XCTAssertEqual(try fs.fileSize(fd), 5)
        XCTAssertEqual(try fs.readWholeFile("d/f"), [0, 0, 0, 7, 8])
        var buffer = [UInt8](repeating: 9, count: 4)
        let n = try buffer.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: 2) }
        XCTAssertEqual(n, 3)
        XCTAssertEqual(buffer, [0, 7, 8, 9])
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: 50) }, 0)
        try fs.ftruncate(fd, 2)
        try fs.ftruncate(fd, 4)
        XCTAssertEqual(try fs.readWholeFile("d/f"), [0, 0, 0, 0])
        XCTAssertEqual(try fs.list("."), ["d"])
        fs.close(fd)
    }

    func test_renameAndUnlink_keepOpenDescriptorsReading() throws {
        let fs = MemoryFileSystem()
        let old = try fs.open("/old", flags: O_RDWR | O_CREAT, mode: 0o600)
        try ([1, 2, 3] as [UInt8]).withUnsafeBytes { try fs.pwrite(old, $0, at: 0) }
        let new = try fs.open("/new", flags: O_RDWR | O_CREAT | O_TRUNC, mode: 0o640)
        try ([4] as [UInt8]).withUnsafeBytes { try fs.pwrite(new, $0, at: 0) }
        try fs.rename("/new", "/old")
        XCTAssertEqual(try fs.readWholeFile("/old"), [4])
        XCTAssertEqual(fs.mode(of: "/old"), 0o640)
        XCTAssertEqual(try fs.fileSize(old), 3, "the replaced file lives on behind its descriptor")
        try fs.unlink("/old")
        XCTAssertEqual(try fs.fileSize(new), 1)
        XCTAssertEqual(try fs.list("/"), [])
        fs.close(old)
        fs.close(new)
    }
}
