import CAllocCount
import FolkbokAudit
import FolkbokDemo
import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import FolkbokProtocol
import FolkbokStorage
import Foundation

/// Heap allocations per `person.get` on the fast path, in process: the line handled (recognised,
/// session and identity checked), the answer rendered from the packed row, and its access-log
/// entry queued, and the answer counted in the loop's metrics, as the event loop does it
/// (answers rendered into a reused buffer; latency recorded once per 16 answers). Counted with the calling thread's malloc counter (CAllocCount; the
/// access log's writer thread allocates per group commit, not per request) over 4,096 warm
/// requests of the demo population.
enum AllocBench {
    static func run() {
        // The counter must see this thread's own allocation, or every figure below is a blind 0.
        let probeStart = fb_alloc_count()
        withExtendedLifetime([UInt8](repeating: 1, count: 4096)) {}
        guard fb_alloc_count() > probeStart else {
            print("the allocation counter does not count here (a sanitizer build?): no figures")
            return
        }
        let today = CivilDate(year: 2026, month: 1, day: 1)!
        let population = DemoPopulation.make(today: today)
        let engine = Engine(shardCount: 4)
        wait { _ = try? await engine.commit(population.map { .upsert(IdentityKey($0.id)!, $0) }) }
        let customers = try! CustomerDirectory(DemoCustomers.make(uid: getuid()))
        let directory = NSTemporaryDirectory() + "folkbok-allocs-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try! AuditLog.open(
            directory: directory, fs: RealFileSystem(), retentionDays: AuditLog.minimumRetentionDays,
            clock: ServiceConfig.realMicros, gatherSeconds: 0.002)
        defer { log.close() }
        let lines = (0..<4096).map { i in
            Array(
                "{\"jsonrpc\":\"2.0\",\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(population[(i * 7919) % population.count].id.value)\"}}"
                    .utf8)
        }
        let modes: [(String, (any AuditTrail)?, Bool)] = [
            ("without an access log", nil, false), ("with the access log (batched)", log, false),
            ("with the access log (strict; the loop parks the answer in its arena)", log, true),
        ]
        for (label, audit, strict) in modes {
            var config = ServiceConfig(customers: customers)
            config.strictAudit = strict
            let service = Service(config: config, engine: engine, gauges: ServerGauges(startedAt: 0), audit: audit)
            let connection = ConnectionState(uid: getuid())
            _ = service.handle(
                line: Array(
                    "{\"id\":0,\"method\":\"session.open\",\"params\":{\"customer\":\"SE2321000016-0001\",\"purpose\":\"care\",\"contract\":\"normal\"}}"
                        .utf8),
                connection: connection)
            var handled: UInt64 = 0, answered: UInt64 = 0, bytes = 0
            // The event loop's reused answer buffer and its metrics.
            var scratch = JSONWriter(capacity: 4096)
            let metrics = LoopMetrics()
            for round in 0..<3 {
                var handleCount: UInt64 = 0, answerCount: UInt64 = 0
                for (i, line) in lines.enumerated() {
                    let a = fb_alloc_count()
                    let outcome = service.handle(line: line, connection: connection)
                    let b = fb_alloc_count()
                    guard case .packedLookup(let key, let plan) = outcome else { fatalError("not the fast path") }
                    scratch.bytes.removeAll(keepingCapacity: true)
                    switch service.lookupNow(key: key, plan: plan, into: &scratch) {
                    case .written, .writtenWhenDurable: bytes += scratch.bytes.count
                    case .now(let answer): bytes += answer.count
                    case .whenDurable(_, let answer, _): bytes += answer.count
                    }
                    metrics.answered(connection.method, ReplyOutcome.of(scratch.bytes))
                    if i % 16 == 15 {
                        metrics.flushLatency(0.0001)
                        _ = service.flushAudit(onCaller: false)
                    }
                    handleCount += b - a
                    answerCount += fb_alloc_count() - b
                }
                if round == 2 { (handled, answered) = (handleCount, answerCount) }
            }
            let n = Double(lines.count)
            print(
                String(
                    format: "allocations per person.get %@: %.1f (line handled %.1f, answer rendered and logged %.1f)",
                    label, Double(handled + answered) / n, Double(handled) / n, Double(answered) / n))
            // The same path timed (one thread, warm): the event loop's own work per read,
            // without the socket.
            var times: [Double] = []
            // ALLOCS_REPEAT (default 25) scales the timed loop, e.g. to difference two
            // instruction counts under `valgrind --tool=callgrind`.
            let repeats = Int(ProcessInfo.processInfo.environment["ALLOCS_REPEAT"] ?? "") ?? 25
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats {
                    for line in lines {
                        guard case .packedLookup(let key, let plan) = service.handle(line: line, connection: connection)
                        else { continue }
                        scratch.bytes.removeAll(keepingCapacity: true)
                        _ = service.lookupNow(key: key, plan: plan, into: &scratch)
                        metrics.answered(connection.method, ReplyOutcome.of(scratch.bytes))
                        bytes += scratch.bytes.count
                    }
                    _ = service.flushAudit(onCaller: false)
                }
                metrics.flushLatency(0.0001)
                times.append(
                    Double(DispatchTime.now().uptimeNanoseconds - start) / Double(max(1, repeats) * lines.count))
            }
            times.sort()
            print(
                String(
                    format: "  time per person.get %@ (handled and rendered, in process): median %.0f ns (min %.0f)",
                    label, times[2], times[0]))
            _ = bytes
        }
    }
}
