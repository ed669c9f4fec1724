import CFolkbokSys
import FolkbokAudit
import FolkbokProtocol
import Glibc

extension EventLoop {
    func handle(events: UInt32, token: UInt64) {
        guard let connection = connections[token] else { return }
        if events & UInt32(FB_EV_OUT) != 0 { flush(connection) }
        if events & UInt32(FB_EV_IN | FB_EV_HUP | FB_EV_ERR | FB_EV_RDHUP) != 0 { readAvailable(connection) }
        if events & UInt32(FB_EV_HUP | FB_EV_ERR) != 0 {
            // The peer has closed both directions: nothing can be delivered any more. Requests
            // already dispatched still run; their answers are dropped.
            if connections[token] != nil { closeConnection(connection) }
            return
        }
        if connections[token] != nil { settle(connection) }
    }

    /// Reads what the socket has while the connection may take more requests.
    func readAvailable(_ connection: Connection) {
        let buffer = readBuffer
        while !connection.readClosed && mayRead(connection) {
            let n = read(connection.fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                connection.framer.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                connection.lastInputAt = monotonicSeconds()
                accountInput(connection)
                processFrames(connection, readAt: connection.lastInputAt)
                if n < buffer.count { break }
            } else if n == 0 {
                connection.end(.inputEnded)
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                break
            } else {
                connection.end(.closing)
                connection.completed.removeAll()
            }
        }
    }

    func mayRead(_ connection: Connection) -> Bool {
        !connection.slowInFlight && !connection.closeAfterFlush
            && connection.inFlight < config.maxInFlightPerConnection
            && connection.pendingOutput < config.maxPendingOutput
    }

    /// Turns buffered lines into requests while the connection may take more. `readAt`: when
    /// the bytes were read (monotonic seconds; 0: now), where the requests' latency starts.
    func processFrames(_ connection: Connection, readAt: Double = 0) {
        var started = readAt
        while mayRead(connection), let frame = connection.framer.nextInPlace() {
            if started == 0 { started = monotonicSeconds() }
            let seq = connection.nextSeq
            connection.nextSeq += 1
            switch frame {
            case .tooLong:
                connection.complete(seq, Service.lineTooLongResponse)
                metrics.answered(RequestMethod.invalid, .rpcError)
            case .line(let line):
                let outcome = service.handle(line: line, connection: connection.state)
                let method = connection.state.method
                switch outcome {
                case .none:
                    connection.complete(seq, [])
                    metrics.answered(method, .none)
                case .ready(let bytes):
                    connection.complete(seq, bytes)
                    metrics.answered(method, ReplyOutcome.of(bytes))
                case .lookup(let keys, let render):
                    deliver(
                        service.lookupNow(keys: keys, render: render), seq, on: connection, method: method,
                        startedAt: started)
                case .packedLookup(let key, let plan):
                    scratch.bytes.removeAll(keepingCapacity: true)
                    switch service.lookupNow(key: key, plan: plan, into: &scratch) {
                    case .written:
                        connection.complete(seq, scratch.bytes)
                        metrics.answered(method, ReplyOutcome.of(scratch.bytes))
                    case .writtenWhenDurable(let ticket, let refusal):
                        park(scratch.bytes, ticket, refusal, seq, on: connection, method: method, startedAt: started)
                    case let disclosure: deliver(disclosure, seq, on: connection, method: method, startedAt: started)
                    }
                case .slow(let work):
                    connection.slowInFlight = true
                    let token = connection.token, startedAt = started
                    Task(priority: RequestMethod.taskPriority(method)) {
                        let bytes = await work()
                        self.post([
                            Completion(
                                token: token, seq: seq, bytes: bytes, endsSlow: true, method: method,
                                startedAt: startedAt)
                        ])
                    }
                case .stream(let work):
                    connection.slowInFlight = true
                    let token = connection.token, startedAt = started
                    let sink = StreamSink { bytes in
                        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                            self.post([
                                Completion(
                                    token: token, seq: seq, bytes: bytes, endsSlow: false,
                                    resume: { continuation.resume(returning: $0) })
                            ])
                        }
                    }
                    Task {
                        let bytes = await work(sink)
                        self.post([
                            Completion(
                                token: token, seq: seq, bytes: bytes, endsSlow: true, method: method,
                                startedAt: startedAt)
                        ])
                    }
                }
                if connection.state.consecutiveParseErrors >= 100 {
                    connection.end(.closing)
                }
            }
        }
        if metrics.hasPending { metrics.flushLatency(monotonicSeconds() - started) }
    }

    /// Sends a lookup's answer now, or parks it until its access-log entries are durable.
    func deliver(_ disclosure: Disclosure, _ seq: UInt64, on connection: Connection, method: Int, startedAt: Double) {
        switch disclosure {
        case .now(let bytes):
            connection.complete(seq, bytes)
            metrics.answered(method, ReplyOutcome.of(bytes))
        case .written, .writtenWhenDurable: preconditionFailure("an answer written in place is completed by the caller")
        case .whenDurable(let ticket, let bytes, let fallback):
            parked.append(
                ParkedAnswer(
                    token: connection.token, seq: seq, ticket: ticket, bytes: .own(bytes), ifAuditFails: fallback,
                    method: method, startedAt: startedAt))
        }
    }

    /// Parks an answer rendered in place: its bytes are copied to the loop's parking arena.
    func park(
        _ bytes: [UInt8], _ ticket: AuditTicket, _ refusal: Refusal, _ seq: UInt64, on connection: Connection,
        method: Int, startedAt: Double
    ) {
        let start = parkedBytesBase + parkedBytes.count
        parkedBytes.append(contentsOf: bytes)
        parked.append(
            ParkedAnswer(
                token: connection.token, seq: seq, ticket: ticket, bytes: .arena(start..<(start + bytes.count)),
                ifAuditFails: refusal, method: method, startedAt: startedAt))
    }

    /// Hands results to the loop thread (any thread).
    func post(_ results: [Completion]) {
        let wasEmpty = completions.withLock { queue in
            let wasEmpty = queue.isEmpty
            queue += results
            return wasEmpty
        }
        if wasEmpty { wake() }
    }

    func drainCompletions() {
        var counter: UInt64 = 0
        _ = read(wakeFD, &counter, 8)
        releaseParked()
        runKills()
        adoptHandedConnections()
        let ready = completions.withLock { queue in
            let all = queue
            queue.removeAll(keepingCapacity: true)
            return all
        }
        var touched: [UInt64: Connection] = [:]
        var now = 0.0
        for completion in ready {
            if completion.endsSlow {
                if now == 0 { now = monotonicSeconds() }
                metrics.finished(
                    completion.method, ReplyOutcome.of(completion.bytes), seconds: now - completion.startedAt)
            }
            guard let connection = connections[completion.token] else {
                completion.resume?(false)
                continue
            }
            if let resume = completion.resume {
                connection.appendPartial(completion.seq, completion.bytes)
                connection.waitingProducers.append(resume)
                touched[completion.token] = connection
                continue
            }
            if completion.endsSlow { connection.slowInFlight = false }
            connection.complete(completion.seq, completion.bytes)
            touched[completion.token] = connection
        }
        for connection in touched.values {
            processFrames(connection)
            settle(connection)
        }
    }

    /// Writes what is ready, answers requests already read once the connection may take
    /// them (without waiting for more input), and closes finished connections.
    func settle(_ connection: Connection) {
        flush(connection)
        guard connections[connection.token] != nil else { return }
        connection.releaseProducers(limit: config.maxPendingOutput, gone: connection.peerGone)
        while mayRead(connection) && connection.framer.hasFrames {
            processFrames(connection)
            flush(connection)
        }
        let unanswered = connection.framer.hasFrames && !connection.closeAfterFlush
        if connection.readClosed && connection.inFlight == 0 && connection.pendingOutput == 0
            && !connection.slowInFlight && !unanswered
        {
            closeConnection(connection)
            return
        }
        updateInterest(connection)
    }

    func flush(_ connection: Connection) {
        while connection.pendingOutput > 0 {
            let n = connection.output.withUnsafeBytes { bytes in
                send(
                    connection.fd, bytes.baseAddress! + connection.outputOffset, connection.pendingOutput,
                    Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                connection.consumed(n)
            } else if n < 0 && errno == EINTR {
                continue
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return
            } else {
                // The peer is gone: nothing more can be delivered.
                connection.end(.peerGone)
                connection.output.removeAll()
                connection.outputOffset = 0
                return
            }
        }
    }

    func updateInterest(_ connection: Connection) {
        var wanted: UInt32 = 0
        if !connection.readClosed && mayRead(connection) { wanted |= UInt32(FB_EV_IN | FB_EV_RDHUP) }
        if connection.pendingOutput > 0 { wanted |= UInt32(FB_EV_OUT) }
        if wanted != connection.interest {
            connection.interest = wanted
            _ = fb_epoll_mod(epollFD, connection.fd, wanted, connection.token)
        }
    }

    func closeConnection(_ connection: Connection) {
        service.endSession(of: connection.state)
        connection.releaseProducers(limit: 0, gone: true)
        _ = fb_epoll_del(epollFD, connection.fd)
        close(connection.fd)
        if connection.heldInput > 0 {
            inputBytes -= connection.heldInput
            connection.heldInput = 0
            _ = limits.report(loop: index, token: connection.token, held: 0)
        }
        connections[connection.token] = nil
        owned.subtract(1, ordering: .relaxed)
        metrics.closed()
        limits.releaseConnection()
        service.gauges.connections.subtract(1, ordering: .relaxed)
    }
}
