import FolkbokDemo
import FolkbokModel
import Foundation

/// `folkbok-bench chaos`: the crash loop of issue 18 (RELIABILITY.md, "Crash loop").
///
/// `kills` rounds of: mixed load on the real release `folkbok serve` (strict access log),
/// `kill -9` after a random 10–100 % of `secondsPerRound`, a restart on the same data
/// directory, and `ChaosChecker` before the next round. Prints one progress line every
/// `progress` rounds and a summary of counts (never person data).
///
/// Guarantees: `run` answers true only if nothing acknowledged was lost, no NRID was issued
/// twice, every restart succeeded, `audit.verify` always held, the statistics always equalled
/// the access log and every checker request was answered. The data directory is removed after
/// a clean campaign and kept (its path printed) otherwise; a directory that failed to restart
/// is copied aside first, for reproduction.
struct ChaosBench {
    var kills = 1000
    var seed: UInt64 = 1
    var secondsPerRound = 0.3
    var progress = 50
    var directory: String?
    /// Persons of the contact chains (each written by one connection with `ifVersion`).
    static let chainPersons = 64

    static let usage =
        "folkbok-bench chaos [--kills N] [--seed S] [--seconds-per-round S] [--progress N] [--dir ABSOLUTE-PATH]"

    init(arguments: ArraySlice<String>) {
        var words = arguments
        while let flag = words.popFirst() {
            let value = words.popFirst() ?? ""
            func parsed<T>(_ parse: (String) -> T?) -> T {
                guard let v = parse(value) else { Self.fail(flag) }
                return v
            }
            switch flag {
            case "--kills": kills = parsed { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
            case "--seed": seed = parsed { UInt64($0) }
            case "--seconds-per-round":
                secondsPerRound = parsed { Double($0).flatMap { $0 > 0 && $0 <= 60 ? $0 : nil } }
            case "--progress": progress = parsed { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
            case "--dir": directory = parsed { $0.hasPrefix("/") ? $0 : nil }
            default: Self.fail(flag)
            }
        }
    }

    static func fail(_ flag: String) -> Never {
        chaosSay("chaos: bad or missing value for \(flag)\nusage: \(usage)")
        exit(2)
    }

    func run() -> Bool {
        let binary = siblingBinary("folkbok")
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            chaosSay("chaos: no folkbok binary beside this one (\(binary)); build with swift build -c release")
            return false
        }
        let dir = directory ?? NSTemporaryDirectory() + "folkbok-chaos-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir + "/data")
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let socket = dir + "/folkbok.sock", data = dir + "/data", logPath = dir + "/server.log"
        let today = CivilDate(unixSeconds: ChaosClock.wallMicros() / 1_000_000)
        let demo = DemoPopulation.make(today: today).map(\.id.value)
        let imports = ChaosImports(directory: dir + "/imports", taken: Set(demo))
        let load = ChaosLoad(socketPath: socket, readIDs: demo, imports: imports)
        let checker = ChaosChecker(
            socketPath: socket, startDate: ChaosClock.utcDate(ChaosClock.wallMicros()), seed: seed)
        chaosSay("chaos: \(kills) kills, seed \(seed), kill after 10–100 % of \(secondsPerRound) s, data in \(data)")

        let began = now()
        var server: ChaosServer
        do { server = try ChaosServer(binary: binary, dataDir: data, socketPath: socket, logPath: logPath) } catch {
            chaosSay("chaos: the first start failed: \(error) (see \(logPath))")
            return false
        }
        let candidates = stride(from: 17, to: demo.count, by: 97).map { demo[$0] }
        guard checker.baseline(candidates: candidates, count: Self.chainPersons) else {
            chaosSay("chaos: could not read the contact chains' starting versions")
            server.stop()
            return false
        }
        var rng = SplitMix64(seed: SplitMix64.mix(seed))
        for round in 1...kills {
            let roundStart = ChaosClock.wallMicros()
            let killAfter = secondsPerRound * (0.1 + 0.9 * Double(rng.below(1_000_001)) / 1e6)
            let log = load.run(round: round, chains: checker.shown, killAfter: killAfter, server: server, seed: seed)
            checker.tally.kills += 1
            let restarted = restart(
                binary: binary, data: data, socket: socket, logPath: logPath, round: round, checker: checker)
            guard let restarted else {
                chaosSay("chaos: the server does not restart after round \(round); stopping (data kept in \(dir))")
                chaosSay(checker.tally.summary(elapsed: now() - began))
                return false
            }
            server = restarted
            checker.tally.restartSeconds.append(server.startSeconds)
            checker.check(
                round: round, log: log, roundStart: roundStart, fullVerify: round % progress == 0 || round == kills)
            imports.removeFiles()
            if round % progress == 0 || round == kills {
                chaosSay(checker.tally.progressLine(round: round, of: kills, elapsed: now() - began))
            }
        }
        server.stop()
        let tally = checker.tally
        chaosSay(tally.summary(elapsed: now() - began))
        if tally.clean {
            try? FileManager.default.removeItem(atPath: dir)
        } else {
            chaosSay("chaos: data kept in \(dir)")
        }
        return tally.clean
    }

    /// Starts the server on the same data directory, up to three times; a failure is counted,
    /// and the directory as it was is copied to `data-failed-<round>` first.
    private func restart(
        binary: String, data: String, socket: String, logPath: String, round: Int, checker: ChaosChecker
    ) -> ChaosServer? {
        for attempt in 1...3 {
            do { return try ChaosServer(binary: binary, dataDir: data, socketPath: socket, logPath: logPath) } catch {
                checker.tally.failedRestarts += 1
                chaosSay("  restart after round \(round), attempt \(attempt) failed: \(error) (see \(logPath))")
                if attempt == 1 { try? FileManager.default.copyItem(atPath: data, toPath: data + "-failed-\(round)") }
            }
        }
        return nil
    }
}
