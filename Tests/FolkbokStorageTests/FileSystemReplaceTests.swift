import FolkbokStorage
import Foundation
import XCTest

/// `FileSystem.replaceAtomically` and the writers built on it, failed at each step in turn:
/// creating the temporary file, writing it, syncing it, renaming it, syncing the directory.
/// Whatever fails, the descriptor is closed exactly once and no temporary file stays behind;
/// before the rename the old file is untouched, after it the new one is complete.
final class FileSystemReplaceTests: StorageTestCase {
    /// A step of the sequence and how to make `FaultyFileSystem` fail it.
    enum Step: CaseIterable {
        case create, write, shortWrite, fileSync, rename, directorySync

        func arm(_ fs: FaultyFileSystem) {
            switch self {
            case .create: fs.failNextCreate(errno: ENOSPC)
            case .write: fs.failWrites(after: 0, errno: ENOSPC)
            case .shortWrite: fs.shortWrite(after: 0)
            case .fileSync: fs.failSync(after: 0, errno: EIO)
            case .rename: fs.failNextRename(errno: EXDEV)
            case .directorySync: fs.failSync(after: 1, errno: EIO)
            }
        }

        var errno: Int32 {
            switch self {
            case .create, .write: ENOSPC
            case .shortWrite, .fileSync, .directorySync: EIO
            case .rename: EXDEV
            }
        }

        /// Whether the new file is in place when this step fails (only the directory sync comes after the rename).
        var replaced: Bool { self == .directorySync }
    }

    private func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    private func assertDescriptorsClosedOnce(
        _ fs: FaultyFileSystem, _ step: Step, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(fs.openDescriptors, 0, "\(step): a descriptor was left open", file: file, line: line)
        XCTAssertEqual(fs.strayCloses, 0, "\(step): a descriptor was closed twice", file: file, line: line)
    }

    func testSuccess_replacesTheFile_syncsFileAndDirectory_andClosesTheDescriptor() throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        let path = dir + "/data"
        writeFile(path, [1, 2, 3])
        let answer = try fs.replaceAtomically(path) { fd throws(FileError) -> Int in
            try [UInt8]([9, 8]).withUnsafeBytes { raw in
                Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) }
            }.get()
            return 42
        }
        XCTAssertEqual(answer, 42)
        XCTAssertEqual(readFile(path), [9, 8])
        XCTAssertEqual(names(dir), ["data"])
        XCTAssertEqual(fs.counts.syncs, 2, "the file and its directory")
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, Int(FileModes.file))
        assertDescriptorsClosedOnce(fs, .create)
    }

    func testWithoutDirectorySync_syncsOnlyTheFile() throws {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        try fs.replaceAtomically(dir + "/data", syncingDirectory: false) { _ throws(FileError) in }
        XCTAssertEqual(fs.counts.syncs, 1)
        XCTAssertEqual(readFile(dir + "/data"), [])
    }

    func testEachFailingStep_leavesTheOldOrTheWholeNewFile_noTemporary_andOneClose() {
        for step in Step.allCases {
            let dir = temporaryDirectory()
            let fs = FaultyFileSystem()
            let path = dir + "/data"
            writeFile(path, Array(repeating: 7, count: 100))
            let new = [UInt8](repeating: 3, count: 4096)
            step.arm(fs)
            XCTAssertThrowsError(
                try fs.replaceAtomically(path) { fd throws(FileError) in
                    try new.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) } }
                        .get()
                }, "\(step)"
            ) { error in
                XCTAssertEqual((error as? FileError)?.errno, step.errno, "\(step)")
            }
            XCTAssertEqual(readFile(path), step.replaced ? new : Array(repeating: 7, count: 100), "\(step)")
            XCTAssertEqual(names(dir), ["data"], "\(step): no temporary file may stay")
            assertDescriptorsClosedOnce(fs, step)
        }
    }

    func testAnErrorThrownByTheWriter_removesTheTemporaryAndClosesOnce() {
        let dir = temporaryDirectory()
        let fs = FaultyFileSystem()
        XCTAssertThrowsError(
            try fs.replaceAtomically(dir + "/data") { _ throws(FileError) in
                throw FileError(path: dir + "/data.tmp", operation: "encode", errno: EINVAL)
            })
        XCTAssertEqual(names(dir), [])
        assertDescriptorsClosedOnce(fs, .write)
    }

    func testVersion1SnapshotWriter_atEachFailingStep() {
        for step in Step.allCases {
            let dir = temporaryDirectory()
            let fs = FaultyFileSystem()
            step.arm(fs)
            XCTAssertThrowsError(
                try SnapshotFile.write(directory: dir, lsn: 3, records: Samples.records(10), fs: fs), "\(step)")
            XCTAssertEqual(names(dir), step.replaced ? ["snapshot-00000000000000000003.fbsnap"] : [], "\(step)")
            assertDescriptorsClosedOnce(fs, step)
        }
    }

    func testVersion2SnapshotWriter_atEachFailingStep() {
        for step in Step.allCases {
            let dir = temporaryDirectory()
            let fs = FaultyFileSystem()
            let shards = [100, 0, 5000].enumerated().map { i, size in
                SnapshotShardImage(records: i, bytes: size) {
                    $0.append(contentsOf: repeatElement(UInt8(i), count: size))
                }
            }
            step.arm(fs)
            XCTAssertThrowsError(
                try SnapshotFile.writeImages(directory: dir, lsn: 4, shards: shards, fs: fs), "\(step)")
            XCTAssertEqual(names(dir), step.replaced ? ["snapshot-00000000000000000004.fbsnap"] : [], "\(step)")
            assertDescriptorsClosedOnce(fs, step)
        }
    }
}
