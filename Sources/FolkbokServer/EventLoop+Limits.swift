import CFolkbokSys
import FolkbokJSON
import FolkbokProtocol
import Glibc

/// The limits that keep one client from hurting the rest (docs/PROTOCOL.md "Transport"): a cap on
/// connections, on the bytes all unfinished lines hold together (over all loops), and on how
/// long an unfinished line may wait for its next byte. All run on the loop's own thread.
extension EventLoop {
    /// Answers a freshly accepted connection that is one too many, and closes it.
    func refuse(_ fd: Int32) {
        // A new socket's send buffer is empty: the short line goes out whole or not at all.
        _ = Service.tooManyConnectionsResponse.withUnsafeBytes {
            send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        }
        close(fd)
        metrics.refused()
    }

    /// Stops watching the listener until the pacer has a token again (`--max-connection-rate`);
    /// other loops go on accepting their share.
    func pauseListener() {
        guard listenerPausedUntil == nil else { return }
        let now = monotonicSeconds()
        listenerPausedUntil = pacer.nextTokenAt(now: now)
        _ = fb_epoll_del(epollFD, listenFD)
    }

    /// Watches the listener again once the pacer's next token is due.
    func resumeListenerIfDue() {
        guard let until = listenerPausedUntil, !draining, monotonicSeconds() >= until else { return }
        listenerPausedUntil = nil
        _ = fb_epoll_add(epollFD, listenFD, UInt32(FB_EV_IN) | UInt32(FB_EV_EXCLUSIVE), EventLoop.listenToken)
    }

    /// Brings the input totals up to date with the connection's unfinished line; past the
    /// server's limit, closes the longest unfinished lines (whichever loop holds them).
    func accountInput(_ connection: Connection) {
        let held = connection.framer.bufferedBytes
        guard held != connection.heldInput else { return }
        inputBytes += held - connection.heldInput
        connection.heldInput = held
        let total = limits.report(loop: index, token: connection.token, held: held)
        guard total > config.maxInputMemory else { return }
        while let victim = limits.takeLongest(over: config.maxInputMemory) {
            if victim.loop == index {
                refuseLine(victim.token)
            } else {
                siblings[victim.loop].postKill(victim.token)
            }
        }
    }

    /// Asks this loop (from another) to refuse a connection's unfinished line and close it.
    func postKill(_ token: UInt64) {
        kills.withLock { $0.append(token) }
        wake()
    }

    /// Runs the refusals other loops asked for.
    func runKills() {
        let tokens = kills.withLock { all in
            defer { all.removeAll() }
            return all
        }
        for token in tokens { refuseLine(token) }
    }

    /// The connection gets the answers it is owed, then `line_too_long`, and is closed; its
    /// unfinished line is dropped (the ledger has already forgotten it).
    func refuseLine(_ token: UInt64) {
        guard let victim = connections[token] else { return }
        victim.framer = LineFramer(maxLine: config.maxLine)
        inputBytes -= victim.heldInput
        victim.heldInput = 0
        victim.complete(victim.nextSeq, Service.lineTooLongResponse)
        metrics.finished(RequestMethod.invalid, .rpcError, seconds: 0)
        victim.nextSeq += 1
        victim.end(.closing)
        settle(victim)
    }

    /// Closes each connection whose unfinished line has had no byte for `lineTimeoutSeconds`,
    /// checked at most once a second. Time while the loop does not read a connection (it is
    /// paused for backpressure) does not count against it.
    func closeStalledLines() {
        let now = monotonicSeconds()
        guard now >= nextLineSweep else { return }
        nextLineSweep = now + min(1, config.lineTimeoutSeconds / 2)
        for connection in connections.values where connection.heldInput > 0 {
            if !mayRead(connection) || connection.readClosed {
                connection.lastInputAt = now
            } else if now - connection.lastInputAt > config.lineTimeoutSeconds {
                closeConnection(connection)
            }
        }
    }
}
