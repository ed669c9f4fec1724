import FolkbokAudit
import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Foundation
import XCTest

/// Entries queued quietly and written by their caller's own group commit (an event loop's end
/// of turn in strict mode), side by side with the writer thread's.
final class AuditCommitOnCallerTests: AuditTestCase {
    /// A commit on the caller returns only once the entries are durable and their waiters told.
    func test_commitOnCaller_returnsWithTheEntriesDurableAndTheirWaitersTold() async throws {
        let log = try open(temporaryDirectory())
        defer { log.close() }
        var factory = EntryFactory(seed: 41)
        var committedHere = 0
        for _ in 0..<200 {
            let ticket = try log.enqueueQuietly(factory.entry(time: Self.epoch))
            let told = Locked(false)
            log.whenDurable(ticket) { durable in told.withLock { $0 = durable } }
            if log.flushQueued(onCaller: true) {
                committedHere += 1
                XCTAssertGreaterThanOrEqual(log.durableSeq, ticket.seq)
                XCTAssertTrue(told.withLock { $0 }, "the waiter is told before the commit returns")
            } else {
                try await log.waitUntilDurable(ticket)
            }
        }
        // The writer thread sleeps between these lone entries, so the caller commits nearly all.
        XCTAssertGreaterThan(committedHere, 100)
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: 200, firstBroken: nil))
    }

    /// Without the caller committing, a flush wakes the writer thread, which writes them.
    func test_flushWithoutCommittingHere_wakesTheWriter() async throws {
        let log = try open(temporaryDirectory())
        defer { log.close() }
        var factory = EntryFactory(seed: 42)
        for _ in 0..<20 {
            let ticket = try log.enqueueQuietly(factory.entry(time: Self.epoch))
            XCTAssertFalse(log.flushQueued(onCaller: false))
            try await log.waitUntilDurable(ticket)
        }
        XCTAssertEqual(log.durableSeq, 20)
    }

    /// After a slow commit (a stalled disk) callers leave the next ones to the writer thread,
    /// and take them again once a commit is quick.
    func test_afterASlowCommit_theWriterThreadCommits_untilOneIsQuickAgain() async throws {
        let fs = FaultyFileSystem()
        let log = try open(temporaryDirectory(), fs: fs)
        defer { log.close() }
        var factory = EntryFactory(seed: 43)
        // Once a caller has committed, the writer thread sleeps until something wakes it.
        try await commitOnCallerOnce(log, &factory)
        fs.stallSyncs()
        let slow = try log.enqueueQuietly(factory.entry(time: Self.epoch))
        let committed = Locked<Bool?>(nil)
        let thread = Thread { committed.withLock { $0 = log.flushQueued(onCaller: true) } }
        thread.start()
        try await Task.sleep(nanoseconds: 20_000_000)
        fs.releaseSyncs()
        try await log.waitUntilDurable(slow)
        while committed.withLock({ $0 }) == nil { try await Task.sleep(nanoseconds: 1_000_000) }
        XCTAssertEqual(committed.withLock { $0 }, true, "the stalled commit ran on the caller")
        let next = try log.enqueueQuietly(factory.entry(time: Self.epoch))
        XCTAssertFalse(log.flushQueued(onCaller: true), "after a slow commit the writer thread takes over")
        try await log.waitUntilDurable(next)
        try await commitOnCallerOnce(log, &factory)  // fails unless callers commit again
    }

    /// Queues and flushes lone entries until the caller commits one (the writer thread may be
    /// between turns for the first few); fails after 50.
    private func commitOnCallerOnce(_ log: AuditLog, _ factory: inout EntryFactory) async throws {
        for _ in 0..<50 {
            let ticket = try log.enqueueQuietly(factory.entry(time: Self.epoch))
            if log.flushQueued(onCaller: true) { return }
            try await log.waitUntilDurable(ticket)
        }
        XCTFail("no commit on the caller in 50 tries")
    }

    /// Threads committing their own entries race the writer thread taking others': every entry
    /// lands once, in seq order, in one unbroken chain, and the observer sees each once.
    func test_callersAndTheWriterThread_writeEveryEntryOnceInOneChain() throws {
        let dir = temporaryDirectory()
        let log = try open(dir)
        let seen = Locked<[UInt64]>([])
        log.observe { batch in seen.withLock { $0.append(contentsOf: batch.map(\.seq)) } }
        let threads = 4, perThread = 1500
        let committedHere = Locked(0)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var factory = EntryFactory(seed: UInt64(100 + t))
            for i in 0..<perThread {
                let entry = factory.entry(time: Self.epoch + Int64(i))
                let done = DispatchSemaphore(value: 0)
                let ticket: AuditTicket
                if t % 2 == 0 {
                    ticket = try! log.enqueueQuietly(entry)
                    if log.flushQueued(onCaller: true) {
                        committedHere.withLock { $0 += 1 }
                        XCTAssertGreaterThanOrEqual(log.durableSeq, ticket.seq)
                        continue
                    }
                } else {
                    ticket = try! log.enqueue(entry)
                }
                log.whenDurable(ticket) { durable in
                    XCTAssertTrue(durable)
                    done.signal()
                }
                done.wait()
            }
        }
        let total = threads * perThread
        XCTAssertEqual(log.durableSeq, UInt64(total))
        XCTAssertEqual(seen.withLock { $0 }, Array(1...UInt64(total)))
        XCTAssertGreaterThan(committedHere.withLock { $0 }, 0)
        XCTAssertEqual(
            try log.verify(from: nil, to: nil), AuditVerification(valid: true, entries: total, firstBroken: nil))
        log.close()
        let reopened = try open(dir)
        XCTAssertEqual(try reopened.query(AuditQuery(limit: 10_000)).entries.map(\.seq), Array(1...UInt64(total)))
        reopened.close()
    }
}
