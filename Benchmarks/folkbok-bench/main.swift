import FolkbokDemo
import FolkbokEngine
import FolkbokModel
import FolkbokProtocol
import FolkbokServer
import Foundation

/// folkbok-bench: the spine's figures. Every load figure is the median of `--runs` runs with
/// min–max; client and server share this machine's cores, as on a small host.
var persons = 1_000_000
var seconds = 3.0
var runs = 3
var shards = 4
var words = CommandLine.arguments.dropFirst()
let snapshotMode = words.first == "snapshot"
if snapshotMode { words = words.dropFirst() }
while let flag = words.popFirst() {
    switch flag {
    case "--persons": persons = Int(words.popFirst() ?? "") ?? persons
    case "--seconds": seconds = Double(words.popFirst() ?? "") ?? seconds
    case "--runs": runs = Int(words.popFirst() ?? "") ?? runs
    case "--shards": shards = Int(words.popFirst() ?? "") ?? shards
    default:
        print("usage: folkbok-bench [--persons N] [--seconds S] [--runs R]\n       folkbok-bench snapshot [--persons N] [--shards S] [--runs R]")
        exit(2)
    }
}

let today = CivilDate(year: 2026, month: 1, day: 1)!
if snapshotMode {
    try SnapshotBench(persons: persons, shards: shards, runs: runs, today: today).run()
    exit(0)
}
print("folkbok-bench: \(persons) persons, \(runs) runs of \(seconds) s each; \(ProcessInfo.processInfo.activeProcessorCount) cores shared by client and server")

let inProcess = InProcessBench(persons: persons, today: today)
inProcess.run(seconds: seconds, runs: runs)

let socketBench = SocketBench(persons: persons, seconds: seconds, runs: runs, today: today)
socketBench.run()
