import CFolkbokSys
import Foundation
import Glibc

/// A server that answers every line at once with a fixed line: the load generator's ceiling.
final class NullServer: @unchecked Sendable {
    let path: String
    private let listenFD: Int32
    private let reply: [UInt8]

    init(path: String, reply: [UInt8]) {
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
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = fb_epoll_wait(ep, &events, 256, -1)
            for i in 0..<max(0, Int(n)) {
                if events[i].token == UInt64(UInt32.max) {
                    while true {
                        let fd = fb_accept_nonblocking(listenFD)
                        if fd < 0 { break }
                        _ = fb_epoll_add(ep, fd, UInt32(FB_EV_IN), UInt64(fd))
                    }
                    continue
                }
                let fd = Int32(events[i].token)
                let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if got <= 0 { _ = fb_epoll_del(ep, fd); close(fd); continue }
                var out: [UInt8] = []
                for j in 0..<got where buffer[j] == 0x0A { out += reply }
                sendAll(fd, out)
            }
        }
    }
}
