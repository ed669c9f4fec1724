import CFolkbokSys
import Foundation
import Glibc

/// A server that answers every request at once with a fixed reply: the load generator's
/// ceiling. Requests are counted with `Framer` (lines for JSON-RPC, RESP commands for Redis),
/// so a request split across reads is answered once, when it is complete. Runs on its own
/// thread in this process, sharing the machine's cores with the generator as a real server does.
final class NullServer<Framer: ReplyFramer>: @unchecked Sendable {
    let path: String
    private let listenFD: Int32
    private let reply: [UInt8]

    init(path: String, reply: [UInt8], framer: Framer.Type) {
        self.path = path
        self.reply = reply
        unlink(path)
        listenFD = fb_unix_listen(path, 1024, 0o600)
        precondition(listenFD >= 0, "null server cannot listen")
        Thread.detachNewThread { self.loop() }
    }

    private func loop() {
        let ep = fb_epoll_create()
        _ = fb_epoll_add(ep, listenFD, UInt32(FB_EV_IN), UInt64(UInt32.max))
        var events = [fb_event](repeating: fb_event(), count: 256)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 8)
        var framers: [Framer] = []
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        while true {
            let n = fb_epoll_wait(ep, &events, 256, -1)
            for i in 0..<max(0, Int(n)) {
                if events[i].token == UInt64(UInt32.max) {
                    while true {
                        let fd = fb_accept_nonblocking(listenFD)
                        if fd < 0 { break }
                        while framers.count <= Int(fd) { framers.append(Framer()) }
                        framers[Int(fd)] = Framer()
                        _ = fb_epoll_add(ep, fd, UInt32(FB_EV_IN), UInt64(fd))
                    }
                    continue
                }
                let fd = Int32(events[i].token)
                let got = read(fd, buffer.baseAddress, buffer.count)
                if got < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                if got <= 0 {
                    _ = fb_epoll_del(ep, fd)
                    close(fd)
                    continue
                }
                let requests = framers[Int(fd)].consume(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
                out.removeAll(keepingCapacity: true)
                for _ in 0..<requests { out.append(contentsOf: reply) }
                sendAll(fd, out)
            }
        }
    }
}

extension NullServer where Framer == NewlineFramer {
    convenience init(path: String, reply: [UInt8]) { self.init(path: path, reply: reply, framer: NewlineFramer.self) }
}
