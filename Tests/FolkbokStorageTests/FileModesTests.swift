import FolkbokModel
import FolkbokStorage
import Foundation
import XCTest

/// What the storage layer creates is owner-only whatever the umask, without `serve`'s help.
final class FileModesTests: StorageTestCase {
    private func mode(_ path: String) -> String {
        var st = stat()
        XCTAssertEqual(lstat(path, &st), 0, path)
        return String(st.st_mode & 0o777, radix: 8)
    }

    func test_underUmask000_segmentsSnapshotsAndDirectoriesAreOwnerOnly() async throws {
        let old = umask(0)
        defer { umask(old) }
        let dir = temporaryDirectory() + "/nested/data"
        let wal = try WriteAheadLog.open(directory: dir, fs: RealFileSystem(), nextLSN: 1, segmentBytes: 64 << 10)
        try await wal.append(Samples.entries(1...3, size: 100))
        wal.close()
        let info = try SnapshotFile.write(
            directory: dir, lsn: 3, records: [(IdentityKey(raw: 42), Samples.full)], fs: RealFileSystem())
        XCTAssertEqual(mode(dir), "700")
        XCTAssertEqual(mode(dir + "/.."), "700", "missing parents too")
        XCTAssertEqual(mode(segments(dir)[0]), "600")
        XCTAssertEqual(mode(info.path), "600")
    }

    func test_dataDirectoryOthersCanWrite_isRefusedBeforeAnythingIsNarrowed() throws {
        let original = umask(0o022)
        defer { umask(original) }  // `prepare` sets the process umask
        let dir = temporaryDirectory()
        writeFile(dir + "/wide", [1])
        chmod(dir + "/wide", 0o644)
        chmod(dir, 0o775)
        XCTAssertThrowsError(try DataDirectoryPermissions.prepare(dir)) { error in
            XCTAssertTrue("\(error)".contains("chmod 700 \(dir)"), "\(error)")
        }
        XCTAssertEqual(mode(dir + "/wide"), "644", "nothing is touched in a refused directory")
        chmod(dir, 0o755)
        XCTAssertEqual(try DataDirectoryPermissions.prepare(dir), 2)
        XCTAssertEqual(mode(dir), "700")
        XCTAssertEqual(mode(dir + "/wide"), "600")
        XCTAssertEqual(try DataDirectoryPermissions.prepare(dir), 0, "nothing left to narrow")
    }
}
