import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Replication over TCP with `--replication-key`: the challenge, per-frame HMACs, key checks.
final class ReplicationTCPTests: XCTestCase {
    static func keyFile(_ directory: String, _ name: String, bytes: Int = 48, mode: Int = 0o600) throws -> String {
        let path = directory + "/" + name
        var rng = SystemRandomNumberGenerator()
        _ = FileManager.default.createFile(
            atPath: path, contents: Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &rng) }))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    static func freePort() -> Int { Int.random(in: 20_000...60_000) }

    func test_tcpWithKey_follows_andAPeerWithAnotherKeyGetsNothing() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory(), w = RunningServer.makeDirectory()
        defer { for d in [p, r, w] { try? FileManager.default.removeItem(atPath: d) } }
        let key = try Self.keyFile(p, "key"), port = Self.freePort()
        let primary = try RunningServer(
            directory: p, arguments: ["--replication-listen", "127.0.0.1:\(port)", "--replication-key", key],
            customers: testCustomers())
        let lsn = try XCTUnwrap(primary.importAt(try primary.operatorClient(), Array(0..<200), tag: "Tcp"))
        let replica = try RunningServer(
            directory: r, arguments: ["--replica-of", "127.0.0.1:\(port)", "--replication-key", key],
            customers: testCustomers())
        try replica.waitForApplied(lsn)
        XCTAssertEqual(try replica.givenNames(Array(0..<200)), Array(repeating: "Tcp", count: 200))
        XCTAssertEqual(try replica.info()["primary"]?.objectValue?["addr"]?.stringValue, "127.0.0.1:\(port)")

        let other = try Self.keyFile(w, "other")
        let stranger = try RunningServer(
            directory: w, arguments: ["--replica-of", "127.0.0.1:\(port)", "--replication-key", other],
            customers: testCustomers())
        let info = try stranger.waitForInfo("the stranger's link error") { $0["primary"]?.objectValue?["error"] != nil }
        XCTAssertEqual(info["appliedLsn"]?.int64Value, 0)
        XCTAssertEqual(info["persons"]?.int64Value, 0)
        XCTAssertEqual(info["primary"]?.objectValue?["connected"], .bool(false))
        XCTAssertEqual(primary.stop(), 0)
        XCTAssertTrue(primary.stderrText.contains("did not prove it holds the replication key"))
    }

    func test_keyFileChecks_andTCPWithoutKey_failStartUp() throws {
        let d = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: d) }
        let base = [
            "serve", "--socket", d + "/s.sock", "--data", d + "/data", "--replication-listen",
            "127.0.0.1:\(Self.freePort())",
        ]
        let cases: [([String], String)] = [
            ([], "needs --replication-key"),
            (["--replication-key", try Self.keyFile(d, "short", bytes: 16)], "needs at least 32"),
            (["--replication-key", try Self.keyFile(d, "wide", mode: 0o644)], "must be 0600 or 0400"),
            (["--replication-key", d + "/missing"], "--replication-key"),
        ]
        for (extra, message) in cases {
            let run = try runFolkbok(base + extra)
            XCTAssertEqual(run.status, 1, "\(extra)")
            XCTAssertTrue(run.err.contains(message), "\(extra): \(run.err)")
        }
    }

    /// A proxy between replica and primary changes one byte of a record and fixes its CRC: the
    /// HMAC catches it, the link drops, the record is never applied, and after reconnecting the
    /// replica holds exactly what the primary has.
    func test_tamperedFrame_isNeverApplied_andTheLinkRecovers() throws {
        let p = RunningServer.makeDirectory(), r = RunningServer.makeDirectory()
        defer { for d in [p, r] { try? FileManager.default.removeItem(atPath: d) } }
        let key = try Self.keyFile(p, "key"), port = Self.freePort()
        let primary = try RunningServer(
            directory: p, arguments: ["--replication-listen", "127.0.0.1:\(port)", "--replication-key", key],
            customers: testCustomers())
        let lsn = try XCTUnwrap(primary.importAt(try primary.operatorClient(), Array(0..<100), tag: "Genuine"))
        let proxy = try TamperingProxy(target: UInt16(port))
        let replica = try RunningServer(
            directory: r, arguments: ["--replica-of", "127.0.0.1:\(proxy.port)", "--replication-key", key],
            customers: testCustomers())
        try replica.waitForApplied(lsn)
        XCTAssertEqual(proxy.tampered, 1, "the proxy changed one record")
        XCTAssertEqual(try replica.givenNames(Array(0..<100)), Array(repeating: "Genuine", count: 100))
        XCTAssertEqual(try replica.info()["lsn"]?.int64Value, lsn)
        XCTAssertEqual(replica.stop(), 0)
        XCTAssertTrue(replica.stderrText.contains("a frame failed its HMAC check"), replica.stderrText)
    }
}

/// Relays TCP between a replica and a primary; in the primary's direction it changes one byte
/// of the first record frame it sees (and recomputes that frame's CRC32C, so only the HMAC can
/// tell).
final class TamperingProxy: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var done = 0

    var tampered: Int {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    init(target: UInt16) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var bound: Int32 = -1
        var chosen: UInt16 = 0
        for _ in 0..<20 where bound != 0 {
            chosen = UInt16(Int.random(in: 20_000...60_000))
            address.sin_port = chosen.bigEndian
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw NSError(domain: "proxy", code: 1) }
        port = chosen
        let thread = Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var upstream = sockaddr_in()
                upstream.sin_family = sa_family_t(AF_INET)
                upstream.sin_addr.s_addr = inet_addr("127.0.0.1")
                upstream.sin_port = target.bigEndian
                let ok = withUnsafePointer(to: &upstream) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
                guard ok == 0 else {
                    close(client)
                    close(server)
                    continue
                }
                Thread.detachNewThread { self.relay(from: client, to: server, tamper: false) }
                Thread.detachNewThread { self.relay(from: server, to: client, tamper: true) }
            }
        }
        thread.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func relay(from: Int32, to: Int32, tamper: Bool) {
        defer {
            shutdown(from, Int32(SHUT_RDWR))
            shutdown(to, Int32(SHUT_RDWR))
        }
        var pending: [UInt8] = []
        var framesSeen = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return }
            pending += chunk[0..<n]
            // Frames: kind u8 | length u32 | body | crc u32, and a 32-byte tag after the handshake
            // (the primary's challenge and proof, the replica's proof).
            var out: [UInt8] = []
            while pending.count >= 5 {
                let length = Int(pending[1]) | Int(pending[2]) << 8 | Int(pending[3]) << 16 | Int(pending[4]) << 24
                let tag = framesSeen >= (tamper ? 2 : 1) ? 32 : 0
                let total = 5 + length + 4 + tag
                guard pending.count >= total else { break }
                var frame = Array(pending[0..<total])
                pending.removeFirst(total)
                framesSeen += 1
                lock.lock()
                if tamper && frame[0] == 4 && done == 0 && length > 9 {
                    frame[5 + length - 1] ^= 0x01
                    let crc = crc32c(Array(frame[0..<(5 + length)]))
                    for i in 0..<4 { frame[5 + length + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
                    done += 1
                }
                lock.unlock()
                out += frame
            }
            var sent = 0
            while sent < out.count {
                let m = out.withUnsafeBytes { send(to, $0.baseAddress! + sent, out.count - sent, Int32(MSG_NOSIGNAL)) }
                guard m > 0 else { return }
                sent += m
            }
        }
    }

    private func crc32c(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }
}
