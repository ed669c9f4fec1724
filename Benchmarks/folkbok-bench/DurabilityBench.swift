import FolkbokDemo
import FolkbokEngine
import FolkbokModel
import FolkbokServer
import Foundation

/// Durability figures for N persons: snapshot write time and size, restore time in-process
/// and restart-to-first-answer of the real binary, durable commits/s with 1 and 50 writers.
struct DurabilityBench {
    let persons: Int
    let seconds: Double
    let runs: Int
    let today: CivilDate

    func run() {
        let dir = NSTemporaryDirectory() + "folkbok-durability-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = PersistenceConfig(directory: dir + "/data")
        let (persistence, _) = try! openPersistence(config)
        let loadStart = now()
        let keys = loadSynthetic(persons, into: persistence.engine, today: today)
        print(
            "durable load (WAL, batches of 4096): \(persons) persons in \(String(format: "%.2f", now() - loadStart)) s")

        var snapshotTimes: [Double] = [], size = 0
        for _ in 0..<runs {
            let started = now()
            let info = Box<Int>()
            wait { info.value = try! await persistence.snapshot().bytes }
            snapshotTimes.append(now() - started)
            size = info.value ?? 0
        }
        print(
            "snapshot write (incl. fsync + rename): \(Summary(values: snapshotTimes).cell { String(format: "%.2f s", $0) }), "
                + "\(size / 1_000_000) MB (\(size / persons) B/person)")

        for writers in [1, 50] {
            var rates: [Double] = []
            for _ in 0..<runs {
                let counter = Counter()
                let deadline = now() + seconds
                let allKeys = keys
                wait {
                    await withTaskGroup(of: Void.self) { group in
                        for w in 0..<writers {
                            group.addTask {
                                var i = w
                                while now() < deadline {
                                    let key = allKeys[(i * 7919) % allKeys.count]
                                    let record = PersonRecord(
                                        id: key.identity!, name: PersonName(given: "W\(i)", surname: "Durable"),
                                        region: "01")
                                    _ = try? await persistence.engine.commit([.upsert(key, record)])
                                    counter.add(1)
                                    i += writers
                                }
                            }
                        }
                    }
                }
                rates.append(Double(counter.value) / seconds)
            }
            print(
                "durable single-record commits/s, \(writers) concurrent writer\(writers == 1 ? "" : "s") (fdatasync, group commit): "
                    + Summary(values: rates).cell(thousands))
        }
        wait { try! await persistence.close(finalSnapshot: true) }

        var restoreTimes: [Double] = []
        for _ in 0..<runs {
            let started = now()
            let (reopened, _) = try! openPersistence(config)
            restoreTimes.append(now() - started)
            reopened.wal.close()
        }
        print(
            "restore in-process (newest snapshot + log): \(Summary(values: restoreTimes).cell { String(format: "%.2f s", $0) })"
        )

        let binary = siblingBinary("folkbok")
        guard FileManager.default.isExecutableFile(atPath: binary) else { return }
        var restartTimes: [Double] = []
        for _ in 0..<runs {
            let started = now()
            guard let server = try? ServerProcess(binary: binary, directory: dir, reuseData: true) else { continue }
            restartTimes.append(now() - started)
            server.stop()
        }
        print(
            "restart to first answer (real binary, \(persons) persons): \(Summary(values: restartTimes).cell { String(format: "%.2f s", $0) })"
        )
    }

    /// Opens with 4 shards, the server's default on 2 cores (so its restart loads the images as they are).
    func openPersistence(_ config: PersistenceConfig) throws -> (Persistence, StartupReport) {
        let box = Box<(Persistence, StartupReport)>()
        wait { box.value = try? await Persistence.open(config, shardCount: 4) { _ in } }
        guard let value = box.value else { throw LineClient.Failure(description: "cannot open \(config.directory)") }
        return value
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T?
}
