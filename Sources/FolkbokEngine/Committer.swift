/// Orders commits: hands out log sequence numbers and apply tickets in one sequence, and lets
/// each ticket's holder apply only after every earlier ticket has finished.
///
/// Guarantees: LSN ranges are consecutive and handed out in ticket order; `waitTurn(t)`
/// returns only after `finish` was called for every ticket before `t`. A snapshot takes a
/// ticket with no LSNs to get a cut in which no commit is half-applied.
actor Committer {
    private var nextLSN: UInt64
    private var nextTicket: UInt64 = 0
    private var finished: UInt64 = 0
    private var waiting: [UInt64: CheckedContinuation<Void, Never>] = [:]

    init(lastLSN: UInt64) { nextLSN = lastLSN + 1 }

    /// Reserves `count` LSNs and a ticket; `body` runs before any other reservation (the log
    /// enqueue). When `body` answers nil nothing is reserved and this answers nil.
    func reserve<T: Sendable>(_ count: Int, _ body: (_ firstLSN: UInt64) -> T?) -> (
        ticket: UInt64, firstLSN: UInt64, value: T
    )? {
        let first = nextLSN
        guard let value = body(first) else { return nil }
        nextLSN += UInt64(count)
        let ticket = nextTicket
        nextTicket += 1
        return (ticket, first, value)
    }

    /// The last LSN handed out.
    var reservedLSN: UInt64 { nextLSN - 1 }

    func waitTurn(_ ticket: UInt64) async {
        if finished == ticket { return }
        await withCheckedContinuation { waiting[ticket] = $0 }
    }

    func finish(_ ticket: UInt64) {
        precondition(finished == ticket, "tickets finish in order")
        finished = ticket + 1
        waiting.removeValue(forKey: finished)?.resume()
    }

    /// Restarts numbering after `lsn`: after recovery replayed the log up to it, or after the
    /// log resumed from a failure with `lsn` its last durable record.
    func resume(after lsn: UInt64) { nextLSN = lsn + 1 }
}
