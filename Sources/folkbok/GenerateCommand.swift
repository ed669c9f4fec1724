import FolkbokDemo
import FolkbokModel
import FolkbokProtocol
import Glibc

/// `folkbok generate N`: synthetic persons as NDJSON on stdout, deterministic in N and seed.
enum GenerateCommand {
    static func run(_ words: ArraySlice<String>) {
        let args: Arguments
        do { args = try Arguments(words, valued: ["seed", "region"], boolean: ["help"]) } catch {
            Usage.fail(error.message, usage: Usage.generate)
        }
        if args.switches.contains("help") { return FileOut.stdout.write(Usage.generate + "\n") }
        guard args.positional.count == 1, let count = Int(args.positional[0]), count >= 0 else {
            Usage.fail("generate takes one whole number N", usage: Usage.generate)
        }
        guard let seed = UInt64(args.options["seed"] ?? "1") else { Usage.fail("--seed must be a whole number", usage: Usage.generate) }
        if let region = args.options["region"], !(region.count == 2 && region.allSatisfy(\.isNumber)) {
            Usage.fail("--region must be a two-digit code", usage: Usage.generate)
        }
        // A fixed "today" keeps the output the same bytes whatever day it is generated.
        let today = CivilDate(year: 2026, month: 1, day: 1)!
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for record in SyntheticPopulation.make(count: count, seed: seed, region: args.options["region"], today: today) {
            buffer += RecordEncoder.fullView(record)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                FileOut.stdout.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        FileOut.stdout.write(buffer)
    }
}
