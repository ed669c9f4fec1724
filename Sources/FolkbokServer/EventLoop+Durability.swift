import FolkbokAudit
import FolkbokProtocol

/// Strict access log on the event loop: an answer is parked until the log reports its entries
/// durable; the loop asks once per loop turn (per run of the log), so a whole group commit
/// wakes it once, not once per answer.
///
/// Invariant: each request covers a contiguous range of parked ordinals whose tickets belong
/// to one run of the log (a failure and repair start a new run), and its ticket is the range's
/// last; answers leave strictly in parking order, each with its own range's verdict, so an
/// answer whose entries were lost is never sent as if they were durable.
extension EventLoop {
    /// The end of a loop turn: the turn's access-log entries go to the log's writer, and its
    /// parked answers ask to be told once durable. When the writer sleeps (strict mode, light
    /// load) the loop runs that group commit itself and sends the answers at once: neither the
    /// writer nor this loop is woken across threads, the two hops a lone read paid. Sending
    /// them may read lines a connection held back (its in-flight limit), whose entries are
    /// queued after this flush, so it goes round until nothing new is parked.
    func finishTurn() {
        while true {
            let requestedBefore = parkedRequested
            awaitDurability()
            guard service.flushAudit(onCaller: parkedRequested != requestedBefore) else { return }
            releaseParked()
        }
    }

    /// Asks the access log to wake the loop when the newest parked answers are durable.
    private func awaitDurability() {
        guard let audit = service.audit else { return }
        let end = parkedFront + parked.count
        while parkedRequested < end {
            let from = parkedRequested
            let generation = parked[from - parkedFront].ticket.generation
            var upTo = from + 1
            while upTo < end && parked[upTo - parkedFront].ticket.generation == generation { upTo += 1 }
            parkedRequested = upTo
            let range = (from: from, upTo: upTo)
            audit.whenDurable(parked[upTo - 1 - parkedFront].ticket) { [self] durable in
                auditNotices.withLock { $0.append(ParkedVerdict(from: range.from, upTo: range.upTo, durable: durable)) }
                wake()
            }
        }
    }

    /// Sends the parked answers the access log has given its verdict on: each its bytes once
    /// its entries are durable, or its refusal when they were lost.
    func releaseParked() {
        let notices = auditNotices.withLock { all in
            defer { all.removeAll(keepingCapacity: true) }
            return all
        }
        guard !notices.isEmpty else { return }
        for verdict in notices { verdicts[verdict.from] = verdict }
        var touched: [UInt64: Connection] = [:]
        var released = 0
        let now = monotonicSeconds()
        while let verdict = verdicts.removeValue(forKey: parkedFront + released) {
            for ordinal in verdict.from..<verdict.upTo {
                let answer = parked[ordinal - parkedFront]
                let connection = connections[answer.token]
                switch (verdict.durable, answer.bytes) {
                case (true, .own(let bytes)):
                    connection?.complete(answer.seq, bytes)
                    metrics.finished(answer.method, ReplyOutcome.of(bytes), seconds: now - answer.startedAt)
                case (true, .arena(let range)):
                    let bytes = parkedBytes[(range.lowerBound - parkedBytesBase)..<(range.upperBound - parkedBytesBase)]
                    connection?.complete(answer.seq, bytes)
                    metrics.finished(answer.method, ReplyOutcome.of(bytes), seconds: now - answer.startedAt)
                case (false, _):
                    connection?.complete(answer.seq, answer.ifAuditFails.bytes)
                    metrics.finished(answer.method, .serverError, seconds: now - answer.startedAt)
                }
                guard let connection else { continue }
                touched[answer.token] = connection
            }
            released = verdict.upTo - parkedFront
        }
        parked.removeFirst(released)
        parkedFront += released
        dropReleasedBytes()
        for connection in touched.values where connections[connection.token] != nil { settle(connection) }
    }

    /// Forgets the arena bytes of answers already released: all of them when nothing is
    /// parked, else the released front once it is most of the arena.
    private func dropReleasedBytes() {
        let firstKept = parked.lazy.compactMap { answer -> Int? in
            if case .arena(let range) = answer.bytes { return range.lowerBound } else { return nil }
        }.first
        guard let firstKept else {
            parkedBytesBase += parkedBytes.count
            parkedBytes.removeAll(keepingCapacity: parkedBytes.capacity <= 1 << 20)
            return
        }
        let released = firstKept - parkedBytesBase
        guard released > 1 << 16, released * 2 > parkedBytes.count else { return }
        parkedBytes.removeFirst(released)
        parkedBytesBase = firstKept
    }
}
