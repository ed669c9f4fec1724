import CFolkbokSys
import FolkbokDemo
import FolkbokEngine
import FolkbokModel
import Foundation

/// Loads N synthetic persons straight into an engine: load time, bytes per person (RSS delta),
/// and lookups per second from two concurrent tasks reading batches of 500 random keys.
struct InProcessBench {
    let persons: Int
    let today: CivilDate

    func run(seconds: Double, runs: Int) {
        fb_map_large_allocations()
        let before = rss()
        let engine = Engine(shardCount: 8)
        let started = now()
        let keys = loadSynthetic(persons, into: engine, today: today)
        let loadSeconds = now() - started
        let keyBytes = keys.capacity * 8
        let perPerson = Double(rss() - before - keyBytes) / Double(persons)
        print(
            "in-process load: \(persons) persons in \(String(format: "%.2f", loadSeconds)) s (\(thousands(Double(persons) / loadSeconds))/s), "
                + "\(String(format: "%.0f", perPerson)) B/person (RSS delta, includes generator garbage)")
        let accounted = Box<(Int, Int)>()
        wait {
            var total = 0, search = 0
            for shard in engine.shards {
                total += await shard.footprintBytes
                search += await shard.searchFootprintBytes
            }
            accounted.value = (total, search)
        }
        print(
            "store footprint as accounted: \((accounted.value?.0 ?? 0) / persons) B/person, of which the search index "
                + "\((accounted.value?.1 ?? 0) / persons)")

        var rates: [Double] = []
        let allKeys = keys
        for _ in 0..<runs {
            let counter = Counter()
            let deadline = now() + seconds
            wait {
                await withTaskGroup(of: Int.self) { group in
                    for worker in 0..<2 {
                        group.addTask {
                            var seed = UInt64(worker + 1)
                            var done = 0
                            while now() < deadline {
                                var ask: [IdentityKey] = []
                                for _ in 0..<500 {
                                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                                    ask.append(allKeys[Int(seed >> 33) % allKeys.count])
                                }
                                let found = await engine.records(for: ask)
                                done += found.count
                            }
                            return done
                        }
                    }
                    for await n in group { counter.add(n) }
                }
            }
            rates.append(Double(counter.value) / seconds)
        }
        print(
            "in-process lookups (2 tasks, batches of 500, materialised records): \(Summary(values: rates).cell(thousands))/s"
        )
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func add(_ v: Int) {
        lock.lock()
        n += v
        lock.unlock()
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return n
    }
}

/// Commits N synthetic persons (seed 7, region 01) in batches of 4096; answers their keys.
func loadSynthetic(_ persons: Int, into engine: Engine, today: CivilDate) -> [IdentityKey] {
    var keys: [IdentityKey] = []
    keys.reserveCapacity(persons)
    var batch: [Mutation] = []
    func flush() {
        let b = batch
        wait { _ = try? await engine.commit(b) }
        batch.removeAll(keepingCapacity: true)
    }
    for record in SyntheticPopulation.make(count: persons, seed: 7, region: "01", today: today) {
        let key = IdentityKey(record.id)!
        keys.append(key)
        batch.append(.upsert(key, record))
        if batch.count == 4096 { flush() }
    }
    flush()
    wait { await engine.trimAndRebuildSearchIndex() }
    return keys
}

func wait(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}

func rss() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}
