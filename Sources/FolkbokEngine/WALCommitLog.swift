import FolkbokModel
import FolkbokStorage

/// The engine's `CommitLog` on a `WriteAheadLog`: each mutation is one log record whose payload
/// is `RecordCodec`'s encoding (the record carries its version, so replay restores it exactly).
public struct WALCommitLog: CommitLog {
    public let wal: WriteAheadLog

    public init(wal: WriteAheadLog) { self.wal = wal }

    public func enqueue(_ mutations: [Mutation], firstLSN: UInt64) -> any DurabilityWait {
        var lsn = firstLSN
        let entries = mutations.map { mutation -> (lsn: UInt64, payload: [UInt8]) in
            defer { lsn += 1 }
            return (lsn, RecordCodec.encode(mutation))
        }
        do {
            return Ticket(wal: wal, lsn: try wal.enqueue(entries), error: nil)
        } catch {
            return Ticket(wal: wal, lsn: 0, error: error)
        }
    }

    struct Ticket: DurabilityWait {
        let wal: WriteAheadLog
        let lsn: UInt64
        let error: FileError?

        func durable() async throws {
            if let error { throw error }
            try await wal.waitUntilDurable(lsn)
        }
    }
}
