import Dispatch
import FolkbokSync
import XCTest

/// The readers–writer lock behind each shard's read view: readers side by side, writers alone.
final class ReadWriteLockTests: XCTestCase {
    /// Two readers are inside at the same moment: each waits, inside its read section, for the
    /// other to arrive. A lock that let one reader in at a time (a mutex) times out here.
    func test_readers_holdTheLockAtTheSameTime() {
        let lock = ReadWriteLock()
        let arrived = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
        let met = Locked([false, false])
        let group = DispatchGroup()
        for me in 0..<2 {
            DispatchQueue.global().async(group: group) {
                lock.withReadLock {
                    arrived[me].signal()
                    let other = arrived[1 - me].wait(timeout: .now() + 5) == .success
                    met.withLock { $0[me] = other }
                }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 15), .success)
        XCTAssertEqual(met.withLock { $0 }, [true, true], "a reader waited for another reader")
    }

    /// A writer's section is never seen half done: the writer keeps two counters equal except
    /// inside its section; readers on other threads never see them differ, and every write lands.
    func test_writer_isAloneAndReadersNeverSeeItsSectionHalfDone() {
        final class Pair: @unchecked Sendable {
            var a = 0
            var b = 0
        }
        let lock = ReadWriteLock()
        let pair = Pair()
        let torn = Locked(0)
        let reads = Locked(0)
        let group = DispatchGroup()
        let writes = 20_000
        DispatchQueue.global().async(group: group) {
            for _ in 0..<writes {
                lock.withWriteLock {
                    pair.a += 1
                    for _ in 0..<10 { _ = pair.a.nonzeroBitCount }
                    pair.b += 1
                }
            }
        }
        for _ in 0..<2 {
            DispatchQueue.global().async(group: group) {
                var seen = 0
                var bad = 0
                while seen < writes / 2 {
                    lock.withReadLock { if pair.a != pair.b { bad += 1 } }
                    seen += 1
                }
                torn.withLock { $0 += bad }
                reads.withLock { $0 += seen }
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 60), .success)
        XCTAssertEqual(torn.withLock { $0 }, 0, "a reader saw a write section half done")
        XCTAssertEqual(lock.withReadLock { pair.a }, writes)
        XCTAssertEqual(lock.withReadLock { pair.b }, writes)
    }

    /// A waiting writer is let in while readers keep coming (the lock prefers writers): with two
    /// threads reading back to back without pause, a write still gets its turn.
    func test_writer_isNotStarvedByAStreamOfReaders() {
        let lock = ReadWriteLock()
        let stop = Locked(false)
        let group = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: group) {
                while !stop.withLock({ $0 }) {
                    lock.withReadLock { for _ in 0..<200 { _ = stop } }
                }
            }
        }
        let wrote = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            for _ in 0..<100 { lock.withWriteLock {} }
            wrote.signal()
        }
        let result = wrote.wait(timeout: .now() + 20)
        stop.withLock { $0 = true }
        XCTAssertEqual(result, .success, "writes starved by readers")
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success)
    }

    /// A yielding writer never queues: while it waits for a reader to leave, a new reader still
    /// gets in (with `withWriteLock` the new reader would wait behind the queued writer, and
    /// this test times out); once the readers are gone, the writer gets its turn.
    func test_yieldingWriter_letsNewReadersInWhileItWaits_thenWrites() {
        let lock = ReadWriteLock()
        let firstIn = DispatchSemaphore(value: 0), releaseFirst = DispatchSemaphore(value: 0)
        let wrote = DispatchSemaphore(value: 0), secondIn = DispatchSemaphore(value: 0)
        let writes = Locked(0)
        Thread.detachNewThread {
            lock.withReadLock {
                firstIn.signal()
                releaseFirst.wait()
            }
        }
        XCTAssertEqual(firstIn.wait(timeout: .now() + 10), .success)
        Thread.detachNewThread {
            lock.withWriteLockYielding { writes.withLock { $0 += 1 } }
            wrote.signal()
        }
        usleep(50_000)  // the writer is trying by now
        XCTAssertEqual(writes.withLock { $0 }, 0, "the writer went in beside a reader")
        Thread.detachNewThread {
            lock.withReadLock { _ = secondIn.signal() }
        }
        XCTAssertEqual(secondIn.wait(timeout: .now() + 5), .success, "a new reader waited behind the writer")
        releaseFirst.signal()
        XCTAssertEqual(wrote.wait(timeout: .now() + 10), .success, "the writer never got its turn")
        XCTAssertEqual(writes.withLock { $0 }, 1)
    }
}
