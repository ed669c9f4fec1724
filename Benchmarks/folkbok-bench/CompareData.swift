import FolkbokDemo
import FolkbokModel
import FolkbokProtocol
import Foundation

/// The persons both servers hold, generated once (seed 7, region 01): an NDJSON file of
/// `RecordEncoder.fullView` lines for folkbok's `admin.import`, and the very same bytes as Redis
/// values keyed by the personnummer. Also builds the request tables both servers are driven
/// with, over the same pseudo-random keys.
struct CompareData {
    let file: String
    let ids: [String]
    /// The line whose length is closest to the mean: the size of the null servers' canned replies.
    let typicalValue: [UInt8]
    /// Persons (index into `ids`) written by the durable-write loads, with their JSON.
    let writes: [(Int, [UInt8])]

    /// Keys of the read loads: more than the servers' caches hold, so reads touch memory.
    static let readKeys = 1 << 18

    init(persons: Int, directory: String, today: CivilDate) {
        file = directory + "/persons.ndjson"
        let writePicks = RequestTable.shuffledPicks(count: 4096, of: persons, seed: 11)
        let wanted = Set(writePicks).union(0..<min(persons, 64))
        var kept: [Int: [UInt8]] = [:]
        var ids: [String] = []
        ids.reserveCapacity(persons)
        _ = FileManager.default.createFile(atPath: file, contents: nil)
        let handle = FileHandle(forWritingAtPath: file)!
        var buffer: [UInt8] = []
        var total = 0
        for (i, record) in SyntheticPopulation.make(count: persons, seed: 7, region: "01", today: today).enumerated() {
            ids.append(record.id.value)
            let json = RecordEncoder.fullView(record)
            total += json.count
            if wanted.contains(i) { kept[i] = json }
            buffer += json
            buffer.append(0x0A)
            if buffer.count > 1 << 22 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        handle.closeFile()
        self.ids = ids
        let mean = total / max(1, persons)
        typicalValue = kept.values.min { abs($0.count - mean) < abs($1.count - mean) } ?? []
        writes = writePicks.map { ($0, kept[$0]!) }
    }

    /// `person.get` requests for random existing persons (JSON-RPC lines).
    func personGets() -> RequestTable {
        var table = RequestTable()
        for (n, i) in RequestTable.shuffledPicks(count: Self.readKeys, of: ids.count, seed: 3).enumerated() {
            table.append("{\"id\":\(n),\"method\":\"person.get\",\"params\":{\"id\":\"\(ids[i])\"}}\n".utf8)
        }
        return table
    }

    /// `GET personnummer` for the same persons in the same order (RESP).
    func redisGets() -> RequestTable {
        var table = RequestTable()
        for i in RequestTable.shuffledPicks(count: Self.readKeys, of: ids.count, seed: 3) {
            table.append(RESP.command(["GET", ids[i]]))
        }
        return table
    }

    /// `contact.set` of a phone number: folkbok's durable single-person write over the socket.
    func contactSets() -> RequestTable {
        var table = RequestTable()
        for (n, (i, _)) in writes.enumerated() {
            table.append(
                ("{\"id\":\(n),\"method\":\"contact.set\",\"params\":{\"id\":\"\(ids[i])\",\"phone\":\"+4670\(1_000_000 + n)\","
                    + "\"consent\":{\"source\":\"bench\",\"date\":\"2026-01-01\"}}}\n").utf8)
        }
        return table
    }

    /// `SET personnummer <person JSON>` for the same persons: Redis's durable write with `appendfsync always`.
    func redisSets() -> RequestTable {
        var table = RequestTable()
        for (i, json) in writes { table.append(RESP.command([Array("SET".utf8), Array(ids[i].utf8), json])) }
        return table
    }

    /// Loads every person into Redis with pipelined `SET`s, 1,000 per round trip; answers the failures.
    func loadRedis(_ client: RESPClient) -> Int {
        guard let handle = FileHandle(forReadingAtPath: file) else { return ids.count }
        defer { handle.closeFile() }
        var pending: [UInt8] = []
        var batch: [UInt8] = []
        var inBatch = 0, next = 0, failures = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 22)
            if chunk.isEmpty { break }
            pending += chunk
            var lineStart = 0
            while let nl = pending[lineStart...].firstIndex(of: 0x0A) {
                RESP.append([Array("SET".utf8), Array(ids[next].utf8), Array(pending[lineStart..<nl])], to: &batch)
                next += 1
                inBatch += 1
                lineStart = nl + 1
                if inBatch == 1000 {
                    failures += client.pipeline(batch, count: inBatch)
                    batch.removeAll(keepingCapacity: true)
                    inBatch = 0
                }
            }
            pending.removeFirst(lineStart)
        }
        if inBatch > 0 { failures += client.pipeline(batch, count: inBatch) }
        return failures + (ids.count - next)
    }
}
