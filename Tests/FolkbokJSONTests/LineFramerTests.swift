import FolkbokJSON
import XCTest

final class LineFramerTests: XCTestCase {
    private static let maxLine = 16

    private static let stream: [UInt8] = {
        var s = ""
        s += "hello\n" + "crlf line\r\n" + "\n" + "\r\n"
        s += String(repeating: "a", count: 16) + "\n"
        s += String(repeating: "b", count: 16) + "\r\n"
        s += String(repeating: "c", count: 17) + "\n"
        s += String(repeating: "d", count: 16) + "\rx\n"
        s += String(repeating: "e", count: 200) + "\r\n"
        s += "after\n" + "a\rb\n" + "x\r\r\n"
        s += String(repeating: "f", count: 100) + "\n" + String(repeating: "g", count: 100) + "\n"
        s += "end\n"
        return Array(s.utf8)
    }()

    /// The reference: split on "\n", drop one trailing "\r", classify by length.
    private func naiveFrames(_ bytes: [UInt8], maxLine: Int) -> [LineFramer.Frame] {
        var frames: [LineFramer.Frame] = []
        var current: [UInt8] = []
        for b in bytes {
            guard b == 0x0A else {
                current.append(b)
                continue
            }
            if current.last == 0x0D { current.removeLast() }
            frames.append(current.count > maxLine ? .tooLong : .line(current))
            current = []
        }
        return frames
    }

    private func frames(_ bytes: [UInt8], chunkSizes: [Int], maxLine: Int, drainEachChunk: Bool = true) -> [LineFramer
        .Frame]
    {
        var framer = LineFramer(maxLine: maxLine)
        var out: [LineFramer.Frame] = []
        var i = 0, k = 0
        while i < bytes.count {
            let end = min(bytes.count, i + chunkSizes[k % chunkSizes.count])
            framer.append(Array(bytes[i..<end]))
            if drainEachChunk { while let f = framer.next() { out.append(f) } }
            XCTAssertLessThanOrEqual(framer.bufferedBytes, maxLine + 1)
            i = end
            k += 1
        }
        while let f = framer.next() { out.append(f) }
        return out
    }

    func testFixedStreamMatchesNaiveSplitForEveryChunkSize() {
        let expected = naiveFrames(Self.stream, maxLine: Self.maxLine)
        XCTAssertEqual(expected.filter { $0 == .tooLong }.count, 5)
        for size in [1, 2, 3, 5, 8, 13, 64, 4096, Self.stream.count] {
            XCTAssertEqual(frames(Self.stream, chunkSizes: [size], maxLine: Self.maxLine), expected, "chunk \(size)")
            XCTAssertEqual(
                frames(Self.stream, chunkSizes: [size], maxLine: Self.maxLine, drainEachChunk: false), expected,
                "undrained chunk \(size)")
        }
    }

    func testExpectedFramesOfFixedStream() {
        let expected = naiveFrames(Self.stream, maxLine: Self.maxLine)
        XCTAssertEqual(
            expected.prefix(4), [.line(Array("hello".utf8)), .line(Array("crlf line".utf8)), .line([]), .line([])])
        XCTAssertEqual(expected[5], .line(Array(repeating: 0x62, count: 16)))
        XCTAssertEqual(expected[6], .tooLong)
        XCTAssertEqual(expected.suffix(3), [.tooLong, .tooLong, .line(Array("end".utf8))])
    }

    func testRandomStreamsAndChunkingMatchNaiveSplit() {
        var g = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...60, using: &g) {
                bytes += (0..<Int.random(in: 0...40, using: &g)).map { _ in
                    [0x61, 0x0D, 0x7A].randomElement(using: &g)!
                }
                if Bool.random(using: &g) { bytes.append(0x0D) }
                bytes.append(0x0A)
            }
            let sizes = (0..<5).map { _ in Int.random(in: 1...50, using: &g) }
            let drain = Bool.random(using: &g)
            XCTAssertEqual(
                frames(bytes, chunkSizes: sizes, maxLine: 16, drainEachChunk: drain), naiveFrames(bytes, maxLine: 16))
        }
    }

    func testTooLongIsReportedBeforeItsNewlineArrivesAndOnlyOnce() {
        var framer = LineFramer(maxLine: 8)
        framer.append(Array("ok\n0123456789".utf8))
        XCTAssertEqual(framer.next(), .line(Array("ok".utf8)))
        XCTAssertEqual(framer.next(), .tooLong)
        XCTAssertNil(framer.next())
        XCTAssertEqual(framer.bufferedBytes, 0)
        framer.append(Array(repeating: 0x78, count: 10_000))
        XCTAssertNil(framer.next())
        XCTAssertEqual(framer.bufferedBytes, 0)
        framer.append(Array("tail\nnext\n".utf8))
        XCTAssertEqual(framer.next(), .line(Array("next".utf8)))
        XCTAssertNil(framer.next())
    }

    func testOverLongLineThenNormalLineKeepsWorking() {
        var framer = LineFramer(maxLine: 1024)
        let big = [UInt8](repeating: 0x41, count: 1 << 16)
        for chunk in stride(from: 0, to: big.count, by: 4096) {
            framer.append(Array(big[chunk..<min(big.count, chunk + 4096)]))
            XCTAssertLessThanOrEqual(framer.bufferedBytes, 1024 + 4096)
        }
        framer.append(Array("\n{\"id\":1}\r\n".utf8))
        XCTAssertEqual(framer.next(), .tooLong)
        XCTAssertEqual(framer.next(), .line(Array("{\"id\":1}".utf8)))
        XCTAssertNil(framer.next())
    }

    func testIncompleteLineIsHeldAndCounted() {
        var framer = LineFramer()
        framer.append(Array("abc".utf8))
        XCTAssertNil(framer.next())
        XCTAssertEqual(framer.bufferedBytes, 3)
        framer.append(Array("\r".utf8))
        XCTAssertNil(framer.next())
        framer.append(Array("\n".utf8))
        XCTAssertEqual(framer.next(), .line(Array("abc".utf8)))
        XCTAssertEqual(framer.bufferedBytes, 0)
    }

    func testManySmallLinesAcrossCompaction() {
        let line = Array("{\"m\":\"ping\"}\n".utf8)
        var framer = LineFramer(maxLine: 64)
        var count = 0
        for _ in 0..<5_000 {
            framer.append(line)
            if count % 3 == 0 {
                while framer.next() != nil { count += 1 }
            } else {
                count += framer.next() == nil ? 0 : 1
            }
        }
        while framer.next() != nil { count += 1 }
        XCTAssertEqual(count, 5_000)
    }

    func testRawBufferAppend() {
        var framer = LineFramer()
        Array("x\ny\n".utf8).withUnsafeBytes { framer.append($0) }
        XCTAssertEqual(framer.next(), .line([0x78]))
        XCTAssertEqual(framer.next(), .line([0x79]))
    }

    func testHasFrames_countsCompleteLinesAndTooLongMarks_notTheUnfinishedTail() {
        var framer = LineFramer(maxLine: 4)
        XCTAssertFalse(framer.hasFrames)
        framer.append(Array("ab".utf8))
        XCTAssertFalse(framer.hasFrames, "an unfinished line is no frame")
        framer.append(Array("\nxyz".utf8))
        XCTAssertTrue(framer.hasFrames)
        XCTAssertEqual(framer.bufferedBytes, 3)
        XCTAssertEqual(framer.next(), .line(Array("ab".utf8)))
        XCTAssertFalse(framer.hasFrames)
        framer.append(Array("12345\n".utf8))
        XCTAssertTrue(framer.hasFrames, "a dropped over-long line still owes its answer")
        XCTAssertEqual(framer.next(), .tooLong)
        XCTAssertFalse(framer.hasFrames)
    }
}
