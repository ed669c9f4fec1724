import CFolkbokSys
import Glibc

/// Spreading connections over the loops. The listener wakes one loop per new connection
/// (EPOLLEXCLUSIVE), and an awake loop takes a burst of them in one turn, so without this a
/// client that opens 50 connections at once gets all 50 on one loop and the other core idles.
/// The loop that accepts gives each connection to the loop with the fewest (itself on a tie),
/// through that loop's `adoptions` and one wake-up; connections never move after that.
///
/// Invariant: `owned` counts the connections a loop holds or has been handed and not yet
/// closed; it is raised by the loop that chooses the owner and lowered by the owner when it
/// closes one, so the counts are never low for long enough to send a burst to one loop.
extension EventLoop {
    /// A freshly accepted connection handed to this loop by the one that accepted it.
    struct Adoption: Sendable {
        let fd: Int32
        let uid: UInt32
    }

    /// The loop that should own the next connection: the one with the fewest, this one on a tie.
    func leastLoadedLoop() -> EventLoop {
        var best = self
        var bestCount = owned.load(ordering: .relaxed)
        for loop in siblings where loop !== self {
            let count = loop.owned.load(ordering: .relaxed)
            if count < bestCount {
                best = loop
                bestCount = count
            }
        }
        return best
    }

    /// Gives an accepted connection to its owner: registered here, or queued on its loop.
    func place(fd: Int32, uid: UInt32) {
        let owner = leastLoadedLoop()
        owner.owned.add(1, ordering: .relaxed)
        guard owner !== self else { return register(fd: fd, uid: uid) }
        owner.adoptions.withLock { $0.append(Adoption(fd: fd, uid: uid)) }
        owner.wake()
    }

    /// Registers the connections other loops handed to this one.
    func adoptHandedConnections() {
        let handed = adoptions.withLock { all in
            defer { all.removeAll(keepingCapacity: true) }
            return all
        }
        for adoption in handed { register(fd: adoption.fd, uid: adoption.uid) }
    }

    /// Watches a connection this loop owns (`owned` already counts it). While draining, it
    /// is taken in and its input ended at once, as `beginDrain` does with the others.
    func register(fd: Int32, uid: UInt32) {
        let token = nextToken
        nextToken += 1
        let connection = Connection(fd: fd, token: token, uid: uid, maxLine: config.maxLine)
        connection.interest = UInt32(FB_EV_IN | FB_EV_RDHUP)
        guard fb_epoll_add(epollFD, fd, connection.interest, token) == 0 else {
            owned.subtract(1, ordering: .relaxed)
            limits.releaseConnection()
            close(fd)
            return
        }
        connections[token] = connection
        service.gauges.connections.add(1, ordering: .relaxed)
        metrics.accepted()
        if draining {
            connection.end(.inputEnded)
            processFrames(connection)
            updateInterest(connection)
        }
    }
}
