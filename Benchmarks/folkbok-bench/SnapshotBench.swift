import FolkbokDemo
import FolkbokEngine
import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Foundation

/// `folkbok-bench snapshot`: N synthetic persons in `shards` stores, written and loaded as a
/// format version 2 snapshot (images) and, for comparison, version 1 (records). Write times
/// include fsync, rename and the directory fsync; loads read the file and build the stores.
struct SnapshotBench {
    let persons: Int
    let shards: Int
    let runs: Int
    let today: CivilDate

    func run() throws {
        var stores = [PersonStore](repeating: PersonStore(), count: shards)
        for record in SyntheticPopulation.make(count: persons, seed: 7, region: "01", today: today) {
            let key = IdentityKey(record.id)!
            stores[Engine.shardIndex(key, shardCount: shards)].upsert(record, key: key)
        }
        for i in stores.indices { stores[i].trimAndRebuildSearchIndex() }
        let directory = FileManager.default.currentDirectoryPath + "/.snapshot-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let fs = RealFileSystem()
        print(
            "snapshot: \(persons) persons in \(shards) shards, data in \(directory); median (min–max) of \(runs) runs")

        let v2 = try measure("v2 write (images, incl. fsync)") { run in
            try Persistence.writeSnapshot(directory: directory, lsn: UInt64(10 + run), stores: stores, fs: fs)
        }
        let v2Load = try measure("v2 load (\(shards) shards)") { _ in
            try Persistence.loadSnapshot(path: v2.path, fs: fs, shardCount: shards)
        }
        check(v2Load.1, against: stores)
        _ = try measure("v2 load, other shard count (re-insert)", runs: 1) { _ in
            try Persistence.loadSnapshot(path: v2.path, fs: fs, shardCount: shards + 1)
        }
        let v1 = try measure("v1 write (records, incl. fsync)") { run in
            try SnapshotFile.write(
                directory: directory, lsn: UInt64(20 + run), records: stores.lazy.flatMap { $0.entries }, fs: fs)
        }
        let v1Load = try measure("v1 load (re-insert)") { _ in
            try Persistence.loadSnapshot(path: v1.path, fs: fs, shardCount: shards)
        }
        check(v1Load.1, against: stores)
        print("file size: v2 \(mib(v2.bytes)), v1 \(mib(v1.bytes))")
        try phases(stores)
    }

    /// Where v2 time goes, single-threaded and without I/O: encoding, checksumming, decoding.
    private func phases(_ stores: [PersonStore]) throws {
        var images: [[UInt8]] = []
        _ = try measure("  phase: encode all images (1 thread)") { _ in
            images = stores.map { store in
                var bytes: [UInt8] = []
                store.writeImage(into: &bytes)
                return bytes
            }
        }
        _ = try measure("  phase: CRC32C of all images (1 thread)") { _ in images.reduce(0) { $0 ^ CRC32C.checksum($1) }
        }
        _ = try measure("  phase: decode all images into stores (1 thread)") { _ in
            try images.map { image in try image.withUnsafeBytes { try PersonStore(image: $0) } }
        }
    }

    private func measure<T>(_ name: String, runs: Int? = nil, _ body: (Int) throws -> T) throws -> T {
        var times: [Double] = []
        var last: T?
        for run in 0..<(runs ?? self.runs) {
            last = nil
            let started = now()
            last = try body(run)
            times.append(now() - started)
        }
        print("\(name): \(Summary(values: times).cell { String(format: "%.3f s", $0) })")
        return last!
    }

    private func check(_ loaded: [PersonStore], against stores: [PersonStore]) {
        let probe = stores.flatMap { $0.allKeys.prefix(2_000) }
        for key in probe {
            let shard = Engine.shardIndex(key, shardCount: loaded.count)
            precondition(
                loaded[shard].record(for: key)
                    == stores[Engine.shardIndex(key, shardCount: stores.count)].record(for: key))
        }
        precondition(loaded.reduce(0) { $0 + $1.count } == stores.reduce(0) { $0 + $1.count })
    }

    private func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
