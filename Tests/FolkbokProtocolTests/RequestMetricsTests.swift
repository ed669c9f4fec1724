import Dispatch
import FolkbokJSON
import FolkbokSync
import Foundation
import XCTest

@testable import FolkbokProtocol

/// The pieces the event loops count with: every dispatched method has its own label, an
/// answer's outcome is read from its first bytes, and the text writer escapes what the format
/// says.
final class RequestMetricsTests: XCTestCase {
    func test_everyDispatchedMethodHasAnIndex() throws {
        let dispatched = try ProtocolDocumentationTests.dispatchedMethods()
        XCTAssertFalse(dispatched.isEmpty)
        for method in dispatched {
            let index = RequestMethod.index(of: method)
            XCTAssertNotEqual(index, RequestMethod.unknown, method)
            XCTAssertEqual(RequestMethod.names[index], method)
        }
        XCTAssertEqual(
            Set(RequestMethod.names.prefix(RequestMethod.batch)), Set(dispatched),
            "no label for a method that is not dispatched")
        XCTAssertEqual(RequestMethod.index(of: "batch"), RequestMethod.unknown, "a client cannot name the batch label")
        XCTAssertEqual(RequestMethod.index(of: "evil\"label"), RequestMethod.unknown)
        XCTAssertLessThanOrEqual(RequestMethod.names.count, 64)
    }

    /// An import's slow work runs on threads the kernel ranks below the event loops (nice 10
    /// against their 0), so it takes idle cores and not the readers' share; other slow work keeps
    /// the loop's priority. Started as the event loop starts slow work (a task from a thread).
    func test_importWork_runsAtLowerPriorityThanTheLoops() {
        func niceOfSlowWork(_ method: Int) -> Int? {
            let done = DispatchSemaphore(value: 0)
            let seen = Locked<Int?>(nil)
            Thread.detachNewThread {
                Task(priority: RequestMethod.taskPriority(method)) {
                    let stat = (try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)) ?? ""
                    // fields after the command's closing parenthesis: state is 3rd, nice 19th
                    let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
                    seen.withLock { $0 = fields.count > 16 ? Int(fields[16]) : nil }
                    done.signal()
                }
            }
            done.wait()
            return seen.withLock { $0 }
        }
        XCTAssertEqual(niceOfSlowWork(RequestMethod.adminImport), 10)
        let search = niceOfSlowWork(RequestMethod.index(of: "person.search"))
        XCTAssertNotNil(search)
        XCTAssertLessThanOrEqual(search ?? 99, 0, "other slow work runs at least at the loops' priority")
    }

    func test_outcomeOfReplies() {
        func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
        XCTAssertEqual(ReplyOutcome.of(Reply.success(id: .number("7")) { $0.raw("{\"error\":{\"code\":5003}}") }), .ok)
        XCTAssertEqual(ReplyOutcome.of(Reply.error(id: .number("7"), .notFound)), .clientError)
        XCTAssertEqual(ReplyOutcome.of(Reply.error(id: .string("a\",\"error\":{\"code\":5"), .notFound)), .clientError)
        XCTAssertEqual(ReplyOutcome.of(Reply.success(id: .string("x\\\",\"error\":{\"code\":-1")) { $0.raw("1") }), .ok)
        XCTAssertEqual(ReplyOutcome.of(Reply.error(id: nil, .parseError)), .rpcError)
        XCTAssertEqual(ReplyOutcome.of(Reply.error(id: .null, .invalidParams("x")) + [0x0A]), .rpcError)
        XCTAssertEqual(ReplyOutcome.of(Reply.error(id: .number("1"), .unavailable("x"))), .serverError)
        XCTAssertEqual(ReplyOutcome.of(Service.tooManyConnectionsResponse), .serverError)
        XCTAssertEqual(ReplyOutcome.of(bytes("[{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":4004}}]\n")), .ok)
        XCTAssertEqual(ReplyOutcome.of([UInt8]()), .none)
    }

    func test_textEscapesAndHistograms() {
        var text = PrometheusText()
        text.family("x_total", .counter, "back\\slash\nnewline")
        text.sample("x_total", labels: ["v": "a\"b\\c\nd"], UInt64(3))
        text.family("h", .histogram, "H.")
        text.histogram("h", [("k", "v")], .init(bounds: [0.5, 1], counts: [1, 0, 2], sum: 4.25))
        XCTAssertEqual(
            text.text,
            """
            # HELP x_total back\\\\slash\\nnewline
            # TYPE x_total counter
            x_total{v="a\\"b\\\\c\\nd"} 3
            # HELP h H.
            # TYPE h histogram
            h_bucket{k="v",le="0.5"} 1
            h_bucket{k="v",le="1"} 1
            h_bucket{k="v",le="+Inf"} 3
            h_sum{k="v"} 4.25
            h_count{k="v"} 3

            """)
    }

    func test_loopCountsAndLatency() {
        let metrics = LoopMetrics()
        for _ in 0..<4 { metrics.answered(RequestMethod.personGet, .ok) }
        metrics.answered(RequestMethod.personGet, .clientError)
        metrics.answered(RequestMethod.blank, .none)
        XCTAssertTrue(metrics.hasPending)
        metrics.flushLatency(0.0003)
        XCTAssertFalse(metrics.hasPending)
        metrics.finished(RequestMethod.index(of: "reserve.assign"), .ok, seconds: 0.02)
        XCTAssertEqual(metrics.requests(RequestMethod.personGet, .ok), 4)
        XCTAssertEqual(metrics.requests(RequestMethod.personGet, .clientError), 1)
        let get = metrics.latency(RequestMethod.personGet)
        XCTAssertEqual(get.count, 5)
        XCTAssertEqual(
            get.counts[LoopMetrics.latencyBounds.firstIndex(of: 0.0005)!], 5, "0.3 ms falls in the 0.5 ms bucket")
        XCTAssertEqual(get.sum, 0.0015, accuracy: 1e-12)
        XCTAssertEqual(metrics.latency(RequestMethod.index(of: "reserve.assign")).count, 1)
    }
}
