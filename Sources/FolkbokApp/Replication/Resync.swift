import FolkbokStorage
import Foundation

/// `--resync`: the register's files are removed from the data directory before start-up, so
/// the replica copies everything from its primary again.
///
/// Guarantees: only the register's files go (log segments, snapshots, the epoch file); the
/// access log, statistics, exports and customers file stay (each node keeps its own).
enum Resync {
    static func discardRegister(in directory: String, logger: Logger) throws(AppStartError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let register = names.filter {
            ($0.hasPrefix("wal-") && $0.hasSuffix(".log")) || ($0.hasPrefix("snapshot-") && $0.hasSuffix(".fbsnap"))
                || $0 == EpochHistory.fileName
        }
        for name in register {
            do { try FileManager.default.removeItem(atPath: directory + "/" + name) } catch {
                throw AppStartError("--resync cannot remove \(directory)/\(name): \(error)")
            }
        }
        try? RealFileSystem().syncDirectory(directory)
        logger.warning(
            "replication.resync",
            "--resync: discarded \(register.count) register files in \(directory); copying from the primary",
            ["files": .int(register.count), "path": .string(directory)])
    }
}
