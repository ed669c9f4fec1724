import CFolkbokSys
import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// systemd integration, with the test standing in for systemd: a notify socket of its own
/// (`NOTIFY_SOCKET`, path and abstract name) and a listening socket handed in at descriptor 3
/// (`LISTEN_FDS`, `LISTEN_PID`).
final class SystemdTests: XCTestCase {
    /// READY=1 arrives once the server answers (a ping right after it succeeds at once), and
    /// STOPPING=1 when SIGTERM starts the shutdown.
    func test_notifySocket_atPath_receivesReady_thenStopping() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try checkNotifications(address: directory + "/notify.sock", directory: directory)
    }

    /// The same through an abstract socket name, which NOTIFY_SOCKET spells with a leading '@'.
    func test_notifySocket_abstractName_receivesReady_thenStopping() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try checkNotifications(address: "@folkbok-test-notify-\(UUID().uuidString.prefix(8))", directory: directory)
    }

    func checkNotifications(address: String, directory: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let notify = fb_unix_datagram_bind(address)
        XCTAssertGreaterThanOrEqual(
            notify, 0, "bind \(address): \(String(cString: strerror(errno)))", file: file, line: line)
        defer { close(notify) }
        let server = try RunningServer(
            directory: directory, environment: ["NOTIFY_SOCKET": address], waitForPing: false)
        XCTAssertEqual(receive(notify, within: 60), "READY=1", file: file, line: line)
        let answer = try server.client().call("ping")
        XCTAssertNotNil(answer.result, "answers as soon as it said READY=1", file: file, line: line)
        XCTAssertEqual(receive(notify, within: 0.2), nil, "nothing more while it runs", file: file, line: line)
        XCTAssertEqual(server.stop(), 0, file: file, line: line)
        XCTAssertEqual(receive(notify, within: 10), "STOPPING=1", file: file, line: line)
    }

    /// A listening socket the test made, handed in as descriptor 3 with LISTEN_FDS=1 and
    /// LISTEN_PID the server's pid, is served: clients connect to its path and get answers; the
    /// server creates no socket of its own at --socket, and leaves the handed-in file in place.
    func test_socketHandedInThroughListenFDs_isServed() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/activated.sock", unused = directory + "/own.sock"
        let listener = fb_unix_listen(path, 64, 0o600)
        XCTAssertGreaterThanOrEqual(listener, 0)
        defer { close(listener) }
        // LISTEN_PID must be the server's own pid: a shell sets it to its pid, then execs the server.
        let server = try SpawnedProcess(
            [
                "/bin/sh", "-c", "LISTEN_PID=$$ exec \"$0\" \"$@\"", RunningServer.binary, "serve", "--socket", unused,
                "--data", directory + "/data",
            ],
            environment: ["LISTEN_FDS": "1"], descriptor3: listener, output: directory + "/server.log")
        XCTAssertTrue(eventually(within: 60) { answersPing(path) }, log(directory))

        let client = try LineClient(socketPath: path)
        setReceiveTimeout(client, seconds: 10)
        XCTAssertNotNil(
            try client.call(
                "session.open",
                params: "{\"customer\":\"SE2321000016-0001\",\"purpose\":\"care\",\"contract\":\"normal\"}"
            ).result)
        let person = try client.call("person.get", params: "{\"id\":\"\(demoNumber)\"}")
        XCTAssertNotNil(person.result, "\(person)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: unused), "no socket of its own")
        XCTAssertTrue(log(directory).contains("listening on \(path) (handed in by systemd)"), log(directory))

        XCTAssertEqual(server.stop(), 0, log(directory))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "the handed-in socket file is systemd's to remove")
    }

    /// LISTEN_FDS meant for another process (LISTEN_PID not ours) is ignored: the server makes its own socket.
    func test_listenFDs_forAnotherPid_areIgnored() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let own = directory + "/own.sock"
        let server = try SpawnedProcess(
            [RunningServer.binary, "serve", "--socket", own, "--data", directory + "/data"],
            environment: ["LISTEN_FDS": "1", "LISTEN_PID": "1"], output: directory + "/server.log")
        XCTAssertTrue(eventually(within: 60) { answersPing(own) }, log(directory))
        XCTAssertEqual(server.stop(), 0, log(directory))
    }

    /// A descriptor 3 that is not a listening Unix stream socket stops the start with a clear message.
    func test_handedInDescriptor_thatIsNotAListener_isRefused() throws {
        let directory = RunningServer.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let notASocket = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(notASocket) }
        let server = try SpawnedProcess(
            [
                "/bin/sh", "-c", "LISTEN_PID=$$ exec \"$0\" \"$@\"", RunningServer.binary, "serve", "--socket",
                directory + "/own.sock",
                "--data", directory + "/data",
            ],
            environment: ["LISTEN_FDS": "1"], descriptor3: notASocket, output: directory + "/server.log")
        XCTAssertEqual(server.waitForExit(), 1)
        XCTAssertTrue(log(directory).contains("descriptor 3 is not a listening Unix stream socket"), log(directory))
    }

    /// Whether a ping on `path` is answered within 2 s (the test's own listener accepts nothing
    /// when no server serves it, so a plain call would wait forever).
    func answersPing(_ path: String) -> Bool {
        guard let client = try? LineClient(socketPath: path) else { return false }
        setReceiveTimeout(client, seconds: 2)
        return (try? client.call("ping"))?.result != nil
    }

    func setReceiveTimeout(_ client: LineClient, seconds: Int) {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(client.fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    func log(_ directory: String) -> String {
        (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
    }

    /// The next datagram within `seconds`, or nil.
    func receive(_ fd: Int32, within seconds: Double) -> String? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(seconds * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &buffer, buffer.count, 0)
        return n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self) : nil
    }
}
