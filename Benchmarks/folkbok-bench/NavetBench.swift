import FolkbokDemo
import FolkbokModel
import FolkbokNavet
import FolkbokXML
import Foundation

/// `folkbok-bench navet`: how fast one core reads a Navet file (README "Navet files"): XML events
/// only, posts (`NavetFileReader`), and posts mapped to records (`NavetMapping`), each the median
/// of `runs` passes over a generated file of `persons` posts (written once to a temporary file,
/// read from the page cache).
struct NavetBench {
    let persons: Int
    let runs: Int
    let today: CivilDate

    func run() throws {
        let path = NSTemporaryDirectory() + "folkbok-bench-navet-\(getpid()).xml"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteUnknown) }
        SyntheticNavet.write(count: persons, files: 1, seed: 7, region: nil, today: today) { _, bytes in
            handle.write(Data(bytes))
        }
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        print(
            "navet: \(persons) posts, \(String(format: "%.1f", size / 1e6)) MB, one core, median of \(runs) (min–max)")
        report("XML events", size, try passes { try events(path) })
        report("posts read", size, try passes { try posts(path, map: false) })
        report("posts read and mapped", size, try passes { try posts(path, map: true) })
    }

    private func passes(_ body: () throws -> Void) throws -> [Double] {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()
    }

    private func report(_ what: String, _ size: Double, _ times: [Double]) {
        let rate = { (t: Double) in String(format: "%.0f", size / t / 1e6) }
        print("  \(what): \(rate(times[times.count / 2])) MB/s (\(rate(times[times.count - 1]))–\(rate(times[0])))")
    }

    private func events(_ path: String) throws {
        var reader = try XMLReader(path: path)
        while try reader.next() != .endOfDocument {}
    }

    private func posts(_ path: String, map: Bool) throws {
        var reader = try NavetFileReader(path: path)
        var rejected = 0
        while let post = try reader.nextPost() {
            if map, (try? NavetMapping.map(post, today: today)) == nil { rejected += 1 }
        }
        precondition(rejected == 0, "generated posts were rejected")
    }
}
