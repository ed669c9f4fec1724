import FolkbokProtocol
import Foundation

/// Turns what the service reports (`ServiceEvent`) into log events: session opens at debug,
/// imports and snapshots at info, rejected import lines and failed imports at warning, failed
/// snapshots at error. Only what the events carry is written, and they carry no person data.
enum ServiceEventLog {
    static func write(_ event: ServiceEvent, to logger: Logger) {
        switch event {
        case .sessionOpened(let customer, let purpose, let contract, let uid):
            logger.debug(
                "session.opened",
                "session opened by customer \(customer) (purpose \(purpose ?? "none"), contract \(contract ?? "none"), uid \(uid))",
                [
                    "customer": .string(customer), "purpose": .string(purpose ?? ""),
                    "contract": .string(contract ?? ""), "uid": .int(Int(uid)),
                ])
        case .imported(
            let region, let mode, let inserted, let updated, let removed, let rejected, let firstErrors, let seconds):
            logger.info(
                "import",
                "import into region \(region) (\(mode)): \(inserted) inserted, \(updated) updated, \(removed) removed, "
                    + "\(rejected) lines rejected in \(String(format: "%.2f", seconds)) s",
                [
                    "region": .string(region), "mode": .string(mode), "inserted": .int(inserted),
                    "updated": .int(updated),
                    "removed": .int(removed), "rejected": .int(rejected), "seconds": .seconds(seconds),
                ])
            for error in firstErrors {
                logger.warning(
                    "import.rejected", "import into region \(region) rejected line \(error.line): \(error.reason)",
                    ["region": .string(region), "line": .int(error.line), "reason": .string(error.reason)])
            }
        case .importFailed(let region, let code):
            logger.warning(
                "import.failed", "import into region \(region) failed with error \(code)",
                ["region": .string(region), "code": .int(code)])
        case .snapshotWritten(let lsn, let bytes, let seconds):
            logger.info(
                "snapshot", "snapshot at lsn \(lsn) written (\(bytes) bytes) in \(String(format: "%.2f", seconds)) s",
                ["lsn": .int(Int(lsn)), "bytes": .int(bytes), "seconds": .seconds(seconds)])
        case .snapshotFailed(let reason):
            logger.error("snapshot.failed", "the snapshot could not be written: \(reason)", ["reason": .string(reason)])
        }
    }
}
