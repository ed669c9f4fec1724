import FolkbokStorage
import Glibc

/// Names and whole-file I/O for the audit sidecar files (seals and indexes).
///
/// Guarantees: `writeAtomically` leaves either the old file or the complete new one
/// (`FileSystem.replaceAtomically`); the caller syncs the directory. Errors name paths only.
enum AuditFiles {
    static func sealName(firstSeq: UInt64) -> String { "seal-" + padded(firstSeq) + ".seal" }
    static func indexName(firstSeq: UInt64) -> String { "index-" + padded(firstSeq) + ".idx" }

    /// The first seq named by a seal or index file name, with which kind it is.
    static func parse(_ name: String) -> (seal: Bool, firstSeq: UInt64)? {
        for (prefix, suffix, seal) in [("seal-", ".seal", true), ("index-", ".idx", false)]
        where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
            guard digits.count == 20, let n = UInt64(digits) else { return nil }
            return (seal, n)
        }
        return nil
    }

    private static func padded(_ n: UInt64) -> String {
        let digits = String(n)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }

    static func read(_ path: String, fs: any FileSystem) throws(FileError) -> [UInt8] {
        let fd = try fs.open(path, flags: O_RDONLY, mode: 0)
        defer { fs.close(fd) }
        var bytes = [UInt8](repeating: 0, count: Int(try fs.fileSize(fd)))
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(FileError) -> Int in try fs.pread(fd, into: buffer, at: 0) }
        }.get()
        return Array(bytes[..<got])
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String, fs: any FileSystem) throws(FileError) {
        try fs.replaceAtomically(path, syncingDirectory: false) { fd throws(FileError) in
            try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) } }.get()
        }
    }

    /// Removes `path`; a file that is already gone is not an error.
    static func remove(_ path: String, fs: any FileSystem) throws(FileError) {
        do { try fs.unlink(path) } catch  where error.errno == ENOENT {}
    }
}
