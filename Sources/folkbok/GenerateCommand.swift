import FolkbokDemo
import FolkbokModel
import FolkbokNavet
import FolkbokProtocol
import Glibc

/// `folkbok generate N`: synthetic persons as NDJSON on stdout (with `--p4`, with the P4 details
/// their Navet posts carry), or as a Navet delivery (`--format navet`, `--files K` files in
/// `--out DIR` or one file on stdout), deterministic in N and seed.
enum GenerateCommand {
    static func run(_ words: ArraySlice<String>) {
        let args: Arguments
        do {
            args = try Arguments(
                words, valued: ["seed", "region", "format", "files", "out", "encoding"], boolean: ["help", "p4"])
        } catch {
            Usage.fail(error.message, usage: Usage.generate)
        }
        if args.switches.contains("help") { return FileOut.stdout.write(Usage.generate + "\n") }
        guard args.positional.count == 1, let count = Int(args.positional[0]), count >= 0 else {
            Usage.fail("generate takes one whole number N", usage: Usage.generate)
        }
        guard let seed = UInt64(args.options["seed"] ?? "1") else {
            Usage.fail("--seed must be a whole number", usage: Usage.generate)
        }
        if let region = args.options["region"], !(region.count == 2 && region.allSatisfy(\.isNumber)) {
            Usage.fail("--region must be a two-digit code", usage: Usage.generate)
        }
        // A fixed "today" keeps the output the same bytes whatever day it is generated.
        let today = CivilDate(year: 2026, month: 1, day: 1)!
        guard count <= SyntheticPopulation.capacity(today: today) else {
            Usage.fail("N is larger than the unique personnummer the generator has", usage: Usage.generate)
        }
        switch args.options["format"] ?? "ndjson" {
        case "ndjson":
            for key in ["files", "out", "encoding"] where args.options[key] != nil {
                Usage.fail("--\(key) is for --format navet", usage: Usage.generate)
            }
            let region = args.options["region"]
            if args.switches.contains("p4") {
                writeNDJSON(SyntheticNavet.recordsWithDetails(count: count, seed: seed, region: region, today: today))
            } else {
                writeNDJSON(SyntheticPopulation.make(count: count, seed: seed, region: region, today: today))
            }
        case "navet":
            if args.switches.contains("p4") {
                Usage.fail("--p4 is for NDJSON (Navet posts always carry P4 parts)", usage: Usage.generate)
            }
            writeNavet(args, count: count, seed: seed, today: today)
        default:
            Usage.fail("--format must be ndjson or navet", usage: Usage.generate)
        }
    }

    private static func writeNDJSON(_ records: some Sequence<PersonRecord>) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        for record in records {
            buffer += RecordEncoder.fullView(record)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                FileOut.stdout.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        FileOut.stdout.write(buffer)
    }

    /// One file on stdout, or files `navet-1.xml` … `navet-K.xml` in `--out DIR`.
    private static func writeNavet(_ args: Arguments, count: Int, seed: UInt64, today: CivilDate) {
        guard let files = Int(args.options["files"] ?? "1"), (1...100).contains(files) else {
            Usage.fail("--files must be a whole number from 1 to 100", usage: Usage.generate)
        }
        let encoding: NavetWriter.Encoding
        switch (args.options["encoding"] ?? "UTF-8").uppercased() {
        case "UTF-8": encoding = .utf8
        case "ISO-8859-1": encoding = .latin1
        default: Usage.fail("--encoding must be UTF-8 or ISO-8859-1", usage: Usage.generate)
        }
        let directory = args.options["out"]
        if directory == nil && files > 1 { Usage.fail("--files above 1 needs --out DIR", usage: Usage.generate) }
        var current = 0
        var fd: Int32 = 1
        SyntheticNavet.write(
            count: count, files: files, seed: seed, region: args.options["region"], today: today,
            encoding: encoding
        ) { number, bytes in
            if let directory, number != current {
                if current != 0 { closeOrFail(fd) }
                let path = directory + "/navet-\(number).xml"
                fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { Usage.fail("cannot create \(path) (errno \(errno))", usage: Usage.generate) }
                current = number
            }
            writeAllOrFail(fd, bytes)
        }
        if directory != nil, current != 0 { closeOrFail(fd) }
    }

    /// Writes every byte or ends the command: a delivery cut short by a full disk must not look
    /// like a finished one (the reader would refuse it, but later than it should be noticed).
    private static func writeAllOrFail(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                FileOut.stderr.write("folkbok: writing the Navet file failed (errno \(errno))\n")
                exit(1)
            }
            offset += n
        }
    }

    private static func closeOrFail(_ fd: Int32) {
        guard Glibc.close(fd) == 0 else {
            FileOut.stderr.write("folkbok: closing the Navet file failed (errno \(errno))\n")
            exit(1)
        }
    }
}
