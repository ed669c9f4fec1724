import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// The demo on a real 64 MiB tmpfs: it starts, a full disk makes writes fail with 5003 and
/// `admin.info` read-only, freeing space makes the server writable again by itself, and a
/// crash afterwards loses nothing acknowledged. Needs root to mount (skipped otherwise); the
/// tmpfs and the helpers are `TmpfsTestCase`'s.
final class FullDiskTests: TmpfsTestCase {
    func test_demoOn64MiB_fullDiskIsReadOnly_thenWritableByItselfOnceSpaceReturns_andNothingAcknowledgedIsLost() throws
    {
        let dir = try XCTUnwrap(mountPoint)
        let server = try RunningServer(directory: dir)
        let admin = try server.session()
        XCTAssertNotNil(
            try server.session().call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result, "the demo is loaded")
        XCTAssertEqual(try info(server).readOnly, false)

        let filler = dir + "/filler"
        fill(filler)
        var lastAcknowledged: Int?
        var refused: JSONObject?
        for n in 1...50_000 {
            let answer = try setPhone(admin, n)
            if answer.result != nil {
                lastAcknowledged = n
            } else {
                refused = answer
                break
            }
        }
        let refusal = try XCTUnwrap(refused, "writes never failed on a full disk")
        XCTAssertEqual(refusal.errorCode, 5003, "\(refusal)")
        let message = refusal["error"]?.objectValue?["message"]?.stringValue ?? ""
        XCTAssertTrue(message.contains("No space left on device"), message)
        let during = try info(server)
        XCTAssertEqual(during.readOnly, true)
        XCTAssertTrue(during.reason?.contains("No space left on device") ?? false, "\(during)")
        XCTAssertEqual(try setPhone(admin, 900_001).errorCode, 5003, "writes stay refused while the disk is full")
        XCTAssertNotNil(
            try server.session("operator", purpose: nil, contract: nil).call("admin.info").result, "reads go on")

        try FileManager.default.removeItem(atPath: filler)
        let deadline = Date().addingTimeInterval(10)
        var resumed: JSONObject?
        var n = 1_000_000
        while Date() < deadline {
            n += 1
            let answer = try setPhone(admin, n)
            if answer.result != nil {
                resumed = answer
                break
            }
            XCTAssertEqual(answer.errorCode, 5003)
            usleep(200_000)
        }
        XCTAssertNotNil(resumed, "writes resume within 10 s of freeing space, without a restart")
        XCTAssertEqual(try info(server).readOnly, false)
        XCTAssertEqual(try phone(server), String(format: "+4670%07d", n))
        XCTAssertNotNil(lastAcknowledged)

        kill(server.process.processIdentifier, SIGKILL)
        server.process.waitUntilExit()
        let restarted = try RunningServer(directory: dir)
        XCTAssertEqual(try phone(restarted), String(format: "+4670%07d", n), "the acknowledged write survives a crash")
        XCTAssertEqual(try info(restarted).readOnly, false)
        XCTAssertEqual(restarted.stop(), 0)
    }

    /// Strict access log on a full disk: a read whose entry cannot be made durable is refused
    /// with 5003 and shows nothing (the answer was parked on the event loop and released with
    /// the log's failure); once space returns, reads are answered again without a restart.
    func test_fullDisk_readsWhoseEntriesCannotBeWritten_areRefused_thenAnsweredOnceSpaceReturns() throws {
        let dir = try XCTUnwrap(mountPoint)
        let server = try RunningServer(directory: dir)
        let reader = try server.session()
        try reader.setReadTimeout(seconds: 30)
        fill(dir + "/filler")
        let read = "{\"id\":1,\"method\":\"person.get\",\"params\":{\"id\":\"\(demoNumber)\"}}\n"
        var refusal: JSONObject?
        // The access log's segment has up to 1 MiB allocated ahead: read until it is used up.
        for _ in 0..<100 where refusal == nil {
            try reader.send(Array(String(repeating: read, count: 500).utf8))
            for _ in 0..<500 {
                let answer = try XCTUnwrap(try JSONParser.parse(try XCTUnwrap(try reader.readLine())).objectValue)
                if answer.result == nil, refusal == nil { refusal = answer }
            }
        }
        let refused = try XCTUnwrap(refusal, "reads never failed with the access log's disk full")
        XCTAssertEqual(refused.errorCode, 5003, "\(refused)")
        XCTAssertNil(refused["result"])
        XCTAssertFalse(String(describing: refused).contains(demoNumber), "a refusal shows no person data")

        try FileManager.default.removeItem(atPath: dir + "/filler")
        let deadline = Date().addingTimeInterval(15)
        var answered = false
        while !answered && Date() < deadline {
            answered = try reader.call("person.get", params: "{\"id\":\"\(demoNumber)\"}").result != nil
            if !answered { usleep(200_000) }
        }
        XCTAssertTrue(answered, "reads are answered again once space returns, without a restart")
        XCTAssertEqual(server.stop(), 0)
    }
}
