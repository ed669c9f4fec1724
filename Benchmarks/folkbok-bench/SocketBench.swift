import FolkbokDemo
import FolkbokModel
import FolkbokProtocol
import FolkbokServer
import Foundation

/// Starts the real server, imports N persons through `admin.import`, and drives `person.get`
/// at 1 client, 50 clients and 50 clients pipelining 16 deep; then the same load against a
/// null server (answers at once) to show the load generator's own ceiling.
struct SocketBench {
    let persons: Int
    let seconds: Double
    let runs: Int
    let today: CivilDate
    /// `--audit-sync` of the server under test.
    var auditSync = "strict"

    func run() {
        let dir = NSTemporaryDirectory() + "folkbok-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (file, ids) = writePopulation(persons, seed: 7, region: "01", today: today, in: dir)

        let binary = siblingBinary("folkbok")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("socket benchmarks skipped: build the server first (swift build -c release)")
            return
        }
        let server: ServerProcess
        do { server = try ServerProcess(binary: binary, directory: dir, extra: ["--audit-sync", auditSync]) } catch {
            print("cannot start folkbok: \(error)")
            return
        }
        defer { server.stop() }
        let emptyRSS = server.residentBytes
        let admin = try! LineClient(socketPath: server.socketPath)
        _ = try! admin.call("session.open", params: "{\"customer\":\"operator\"}")
        let started = now()
        let answer = try! admin.call(
            "admin.import", params: "{\"path\":\"\(file)\",\"region\":\"01\",\"mode\":\"full\"}")
        let importSeconds = now() - started
        let loadedRSS = server.residentBytes
        print(
            "server import: \(persons) persons in \(String(format: "%.2f", importSeconds)) s (\(thousands(Double(persons) / importSeconds))/s); "
                + "rejected \(answer["result"]?.objectValue?["rejected"].map { "\($0)" } ?? "?"); "
                + "server RSS \(String(format: "%.0f", Double(loadedRSS - emptyRSS) / Double(persons))) B/person")

        let session = Array(
            "{\"id\":0,\"method\":\"session.open\",\"params\":{\"customer\":\"bench-region\",\"purpose\":\"care\",\"contract\":\"normal\"}}\n"
                .utf8)
        var requests = RequestTable()
        for i in 0..<4096 {
            var seed = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
            seed ^= seed >> 29
            requests.append(
                "{\"id\":\(i),\"method\":\"person.get\",\"params\":{\"id\":\"\(ids[Int(seed % UInt64(ids.count))])\"}}\n"
                    .utf8)
        }
        let null = NullServer(
            path: dir + "/null.sock", reply: Array(#"{"jsonrpc":"2.0","id":1,"result":{"pong":true}}"#.utf8) + [0x0A])
        print("access log: --audit-sync \(auditSync)")
        print("load                       folkbok person.get/s       p50 / p99           null-server ceiling/s")
        for (name, clients, depth) in [
            ("1 client", 1, 1), ("50 clients", 50, 1), ("50 clients x 16 pipelined", 50, 16),
        ] {
            var rates: [Double] = [], p50: [Double] = [], p99: [Double] = [], ceiling: [Double] = []
            for _ in 0..<runs {
                var gen = LoadGenerator(
                    socketPath: server.socketPath, connections: clients, depth: depth, seconds: seconds,
                    framer: NewlineFramer.self)
                gen.preamble = [session]
                let r = gen.run(requests)
                rates.append(r.perSecond)
                p50.append(r.p50)
                p99.append(r.p99)
                let n = LoadGenerator(
                    socketPath: null.path, connections: clients, depth: depth, seconds: seconds,
                    framer: NewlineFramer.self
                ).run(requests)
                ceiling.append(n.perSecond)
            }
            print(
                "\(name.padding(toLength: 27, withPad: " ", startingAt: 0))\(Summary(values: rates).cell(thousands).padding(toLength: 27, withPad: " ", startingAt: 0))"
                    + "\(micros(Summary(values: p50).median)) / \(micros(Summary(values: p99).median))".padding(
                        toLength: 20, withPad: " ", startingAt: 0)
                    + Summary(values: ceiling).cell(thousands))
        }
    }
}
