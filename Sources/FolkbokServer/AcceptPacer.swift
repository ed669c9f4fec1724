/// A token bucket over the new connections one event loop admits (`--max-connection-rate`,
/// shared evenly between the loops). It guarantees that a loop accepts at most `burst`
/// connections at once and `rate` per second after that; when it runs dry the loop stops
/// watching the listener until the next token is due, so a client that connects and drops in a
/// tight loop waits in `connect` (the kernel's backlog is full) instead of taking the CPU the
/// connected clients need.
struct AcceptPacer {
    /// Connections per second; 0 means no limit.
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var refilledAt: Double

    init(rate: Double, burst: Double, now: Double) {
        self.rate = rate
        self.burst = max(1, burst)
        tokens = self.burst
        refilledAt = now
    }

    /// Takes a token for one connection if one is there.
    mutating func admit(now: Double) -> Bool {
        guard rate > 0 else { return true }
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token is due (now or later).
    mutating func nextTokenAt(now: Double) -> Double {
        guard rate > 0 else { return now }
        refill(now: now)
        return tokens >= 1 ? now : now + (1 - tokens) / rate
    }

    private mutating func refill(now: Double) {
        tokens = min(burst, tokens + (now - refilledAt) * rate)
        refilledAt = now
    }
}
