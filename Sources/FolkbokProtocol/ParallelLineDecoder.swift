import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import Foundation
import Glibc

/// Reads an NDJSON file in line-aligned chunks on a thread of its own and decodes the chunks on
/// `workers` threads of their own (never the Swift concurrency pool, which serves requests),
/// handing the decoded chunks to one async consumer in file order.
///
/// Guarantees:
/// - Lines are framed exactly as `LineFramer` frames them (a trailing "\r" dropped, a line over
///   `maxLine` bytes one `.tooLong` frame, a last line without "\n" still a line), numbered from
///   1 in the file; chunks come out of `next()` in file order, each with its lines' outcomes
///   in line order, so records keep their order and rejections their line numbers whatever
///   worker decoded them.
/// - Memory is bounded: at most `2 × workers + 2` chunks (of about `chunkBytes`) are read ahead
///   of the consumer, decoded or not.
/// - The reader and worker threads run in the background (`BackgroundPriority`: the idle
///   scheduling policy), so an import takes the idle cores and never the event loops' share.
/// - A read error ends `next()` with `RPCError.unavailable`. The consumer calls `cancel()` when
///   done (also after the end): it stops the threads and returns once they have ended.
final class ParallelLineDecoder<Item: Sendable, Extra: Sendable>: @unchecked Sendable {
    // @unchecked: every mutable field is guarded by `condition` (the threads wait on it; the
    // async consumer never waits on it, it parks a continuation instead).

    /// One decoded chunk: `firstLine` is the file's line number of its first line.
    struct Chunk: Sendable {
        var firstLine = 1
        var lines = 0
        var bytes = 0
        /// Accepted lines, in line order.
        var items: [Item] = []
        /// What the decoding made beside each item (`extras[i]` is `items[i]`'s).
        var extras: [Extra] = []
        /// Rejected lines (line number in the file, reason), in line order.
        var rejections: [(line: Int, reason: String)] = []
    }

    /// Decodes one non-blank line: appends its item and extra (one each) and answers nil, or
    /// answers why the line is rejected and appends nothing. Appending in place, not returning
    /// the pair, spares a copy of each item.
    typealias Decode = @Sendable (ArraySlice<UInt8>, inout [Item], inout [Extra]) -> RecordDecoder.Rejection?

    private struct RawChunk {
        var index: Int
        var firstLine: Int
        var lines: Int
        var readBytes: Int
        /// Lines, each ended by "\n" (a "\r" before it dropped); a `.tooLong` line is empty here
        /// and its start is in `tooLong`.
        var bytes: [UInt8]
        var tooLong: [Int]
    }

    private let condition = NSCondition()
    private var raw: [RawChunk] = []
    private var ready: [Int: Chunk] = [:]
    private var nextWanted = 0
    private var readChunks = 0
    private var readerDone = false
    private var readFailure = false
    private var stopped = false
    private var waiting: CheckedContinuation<Void, Never>?
    private var threadsRunning = 0
    private let limit: Int

    private let maxLine: Int
    private let chunkBytes: Int
    private let decode: Decode

    /// Starts reading `fd` (closed by the decoder) at once.
    init(fd: Int32, maxLine: Int, workers: Int, chunkBytes: Int = 4 << 20, decode: @escaping Decode) {
        self.maxLine = maxLine
        self.chunkBytes = chunkBytes
        self.decode = decode
        let workers = max(1, workers)
        limit = 2 * workers + 2
        threadsRunning = workers + 1
        let reader = Thread { [self] in
            BackgroundPriority.enterOnThisThread()
            read(fd)
            close(fd)
            threadEnded()
        }
        reader.name = "folkbok-import-reader"
        reader.start()
        for n in 0..<workers {
            let worker = Thread { [self] in
                BackgroundPriority.enterOnThisThread()
                work()
                threadEnded()
            }
            worker.name = "folkbok-import-\(n)"
            worker.start()
        }
    }

    /// The next chunk in file order, nil at the end of the file.
    func next() async throws(RPCError) -> Chunk? {
        while true {
            let step: Step<Chunk> = condition.withLock {
                if let chunk = ready.removeValue(forKey: nextWanted) {
                    nextWanted += 1
                    condition.broadcast()  // room for the reader
                    return .chunk(chunk)
                }
                if readFailure { return .failed }
                if readerDone && nextWanted == readChunks { return .end }
                return .wait
            }
            switch step {
            case .chunk(let chunk): return chunk
            case .end: return nil
            case .failed: throw .unavailable("reading the import file failed")
            case .wait:
                await withCheckedContinuation { continuation in
                    let now = condition.withLock { () -> Bool in
                        if ready[nextWanted] != nil || readFailure || (readerDone && nextWanted == readChunks) {
                            return true
                        }
                        waiting = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
        }
    }

    private enum Step<C> { case chunk(C), end, failed, wait }

    /// Stops the threads (what they hold is dropped) and waits until they have ended.
    func cancel() {
        condition.withLock {
            stopped = true
            condition.broadcast()
            while threadsRunning > 0 { condition.wait() }
        }
    }

    private func threadEnded() {
        condition.withLock {
            threadsRunning -= 1
            condition.broadcast()
        }
    }

    /// Wakes the consumer if it waits; call under the lock.
    private func wakeConsumer() -> CheckedContinuation<Void, Never>? {
        defer { waiting = nil }
        return waiting
    }

    // MARK: reader thread

    private func read(_ fd: Int32) {
        var framer = ImportLineFramer(maxLine: maxLine)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var chunk = RawChunk(index: 0, firstLine: 1, lines: 0, readBytes: 0, bytes: [], tooLong: [])
        chunk.bytes.reserveCapacity(chunkBytes + (1 << 20))
        var line = 1
        var reachedEnd = false
        while !reachedEnd {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                condition.withLock {
                    readFailure = true
                    condition.broadcast()
                    return wakeConsumer()
                }?.resume()
                return
            }
            let framed: Int
            if n == 0 {
                reachedEnd = true
                framed = framer.finish(into: &chunk.bytes, tooLong: &chunk.tooLong)
            } else {
                chunk.readBytes += n
                framed = buffer.withUnsafeBufferPointer { all in
                    framer.frame(UnsafeBufferPointer(rebasing: all[0..<n]), into: &chunk.bytes, tooLong: &chunk.tooLong)
                }
            }
            chunk.lines += framed
            line += framed
            if chunk.bytes.count >= chunkBytes || (reachedEnd && (chunk.lines > 0 || chunk.readBytes > 0)) {
                let next = RawChunk(
                    index: chunk.index + 1, firstLine: line, lines: 0, readBytes: 0, bytes: [], tooLong: [])
                guard hand(chunk) else { return }
                chunk = next
                chunk.bytes.reserveCapacity(chunkBytes + (1 << 20))
            }
        }
        condition.withLock {
            readerDone = true
            condition.broadcast()
            return wakeConsumer()
        }?.resume()
    }

    /// Queues a chunk for the workers, waiting while the consumer is `limit` chunks behind;
    /// false once stopped.
    private func hand(_ chunk: RawChunk) -> Bool {
        condition.withLock {
            while !stopped && chunk.index - nextWanted >= limit { condition.wait() }
            guard !stopped else { return false }
            raw.append(chunk)
            readChunks = chunk.index + 1
            condition.broadcast()
            return true
        }
    }

    // MARK: worker threads

    private func work() {
        while true {
            let taken: RawChunk? = condition.withLock {
                while !stopped && raw.isEmpty && !(readerDone || readFailure) { condition.wait() }
                if stopped || raw.isEmpty { return nil }
                return raw.removeFirst()
            }
            guard let taken else { return }
            let decoded = decodeChunk(taken)
            condition.withLock {
                ready[taken.index] = decoded
                condition.broadcast()
                return taken.index == nextWanted ? wakeConsumer() : nil
            }?.resume()
        }
    }

    private func decodeChunk(_ chunk: RawChunk) -> Chunk {
        var out = Chunk(firstLine: chunk.firstLine, lines: chunk.lines, bytes: chunk.readBytes)
        out.items.reserveCapacity(chunk.lines)
        out.extras.reserveCapacity(chunk.lines)
        var tooLong = chunk.tooLong[...]
        var line = chunk.firstLine
        var start = 0
        let bytes = chunk.bytes
        let end = bytes.count
        while start < end {
            // Every line in a chunk ends with "\n" (`RawChunk`).
            let stop = bytes.withUnsafeBufferPointer { b in
                UnsafeRawPointer(memchr(b.baseAddress! + start, 0x0A, end - start)!).assumingMemoryBound(to: UInt8.self)
                    - b.baseAddress!
            }
            defer {
                start = stop + 1
                line += 1
            }
            if let mark = tooLong.first, mark == start {
                tooLong.removeFirst()
                out.rejections.append((line, "the line is longer than 1 MiB"))
                continue
            }
            let text = bytes[start..<stop]
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            if let rejection = decode(text, &out.items, &out.extras) { out.rejections.append((line, rejection.reason)) }
        }
        return out
    }
}
