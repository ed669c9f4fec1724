import FolkbokAudit
import FolkbokModel
import FolkbokSync
import Synchronization

/// An in-memory access log for handler tests; can be told to fail.
final class MemoryAuditTrail: AuditTrail {
    let entries = Locked<[AuditEntry]>([])
    let failing = Atomic<Bool>(false)
    /// Refuses entries as a log whose disk is behind does (`AuditError.overloaded`).
    let overloaded = Atomic<Bool>(false)

    struct Failure: Error {}

    func enqueue(_ new: [AuditEntry]) throws -> AuditTicket {
        if failing.load(ordering: .relaxed) { throw Failure() }
        if overloaded.load(ordering: .relaxed) { throw AuditError.overloaded }
        return entries.withLock { all in
            for var e in new {
                e.seq = UInt64(all.count + 1)
                all.append(e)
            }
            return AuditTicket(seq: UInt64(all.count))
        }
    }

    func waitUntilDurable(_ ticket: AuditTicket) async throws {}

    func query(_ q: AuditQuery) throws -> AuditPage {
        let matching = entries.withLock { $0 }.filter { e in
            (q.person == nil || e.person == q.person || e.resolved == q.person)
                && (q.customer == nil || e.customer == q.customer)
                && (q.from.map { e.time >= $0 } ?? true) && (q.to.map { e.time <= $0 } ?? true)
                && e.seq > (q.after ?? 0)
        }
        let page = Array(matching.prefix(q.limit))
        return AuditPage(entries: page, next: matching.count > q.limit ? page.last?.seq : nil)
    }

    func verify(from: Int64?, to: Int64?) throws -> AuditVerification {
        AuditVerification(valid: true, entries: entries.withLock { $0.count }, firstBroken: nil)
    }

    var all: [AuditEntry] { entries.withLock { $0 } }
}
