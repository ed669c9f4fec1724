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
        return queue(entries)
    }

    public func enqueue(_ mutations: [Mutation], payloads: [[UInt8]], firstLSN: UInt64) -> any DurabilityWait {
        precondition(payloads.count == mutations.count, "one payload per mutation")
        var entries: [(lsn: UInt64, payload: [UInt8])] = []
        entries.reserveCapacity(payloads.count)
        for (i, payload) in payloads.enumerated() { entries.append((firstLSN + UInt64(i), payload)) }
        return queue(entries)
    }

    private func queue(_ entries: [(lsn: UInt64, payload: [UInt8])]) -> any DurabilityWait {
        do {
            return Ticket(wal: wal, ticket: try wal.queue(entries), error: nil)
        } catch {
            return Ticket(wal: wal, ticket: nil, error: error)
        }
    }

    public func resume() async throws -> UInt64 {
        try await onOwnThread { [wal] in try wal.resume() }
    }

    struct Ticket: DurabilityWait {
        let wal: WriteAheadLog
        let ticket: WALTicket?
        let error: FileError?

        func durable() async throws {
            if let error { throw error }
            if let ticket { try await wal.waitUntilDurable(ticket) }
        }
    }
}
