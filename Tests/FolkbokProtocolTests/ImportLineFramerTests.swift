import FolkbokJSON
import FolkbokModel
import XCTest

@testable import FolkbokProtocol

/// `ImportLineFramer` frames an import file as the reader thread framed it with `LineFramer`
/// (the model): the same lines, the same too-long lines at the same places, the same count,
/// whatever the line lengths, "\r"s, limit and read sizes.
final class ImportLineFramerTests: XCTestCase {
    private struct Framed: Equatable {
        var bytes: [UInt8] = []
        var tooLong: [Int] = []
        var lines = 0
    }

    /// The reader's former loop over `LineFramer`.
    private func model(_ reads: [[UInt8]], maxLine: Int) -> Framed {
        var framer = LineFramer(maxLine: maxLine)
        var out = Framed()
        for (k, read) in (reads + [[]]).enumerated() {
            let atEnd = k == reads.count
            framer.append(atEnd ? [0x0A] : read)
            while let frame = framer.nextInPlace() {
                switch frame {
                case .tooLong: out.tooLong.append(out.bytes.count)
                case .line(let line):
                    if atEnd && line.isEmpty { continue }
                    out.bytes.append(contentsOf: line)
                }
                out.bytes.append(0x0A)
                out.lines += 1
            }
        }
        return out
    }

    private func framed(_ reads: [[UInt8]], maxLine: Int) -> Framed {
        var framer = ImportLineFramer(maxLine: maxLine)
        var out = Framed()
        for read in reads {
            out.lines += read.withUnsafeBufferPointer { framer.frame($0, into: &out.bytes, tooLong: &out.tooLong) }
        }
        out.lines += framer.finish(into: &out.bytes, tooLong: &out.tooLong)
        return out
    }

    func testRandomStreamsFrameAsLineFramerDoes() {
        var rng = SplitMix64(seed: 3)
        let alphabet: [UInt8] = [0x61, 0x62, 0x0A, 0x0D, 0x20, 0x7B]
        for round in 0..<4000 {
            let maxLine = Int(rng.next() % 12)
            let length = Int(rng.next() % 80)
            var data = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            if round % 3 == 0 { data += Array(repeating: 0x78, count: Int(rng.next() % 30)) }
            if round % 5 == 0 { data += [0x0D] }
            var reads: [[UInt8]] = []
            var at = 0
            while at < data.count {
                let n = 1 + Int(rng.next() % UInt64(round % 2 == 0 ? 7 : 40))
                reads.append(Array(data[at..<min(data.count, at + n)]))
                at += n
            }
            XCTAssertEqual(framed(reads, maxLine: maxLine), model(reads, maxLine: maxLine), "\(data) \(maxLine)")
        }
    }

    func testHandPickedEnds() {
        for (text, maxLine) in [
            ("", 4), ("\n", 4), ("\r", 4), ("\r\n", 4), ("abcd", 4), ("abcde", 4), ("abcd\r", 4), ("abcde\r", 4),
            ("abcd\r\n", 4), ("abcde\r\n", 4), ("a\n\nb\r\n\r\nabcdefgh\nc", 4), ("abcdefgh", 4), ("\n\n\n", 0),
        ] {
            let bytes = Array(text.utf8)
            for split in 1...max(1, bytes.count) {
                let reads = stride(from: 0, to: bytes.count, by: split).map {
                    Array(bytes[$0..<min(bytes.count, $0 + split)])
                }
                XCTAssertEqual(
                    framed(reads, maxLine: maxLine), model(reads, maxLine: maxLine), "\(text.debugDescription)")
            }
        }
    }
}
