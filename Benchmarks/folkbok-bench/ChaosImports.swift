import FolkbokModel
import Foundation

/// The crash loop's delta imports: small NDJSON files of persons the demo does not have.
///
/// Guarantees: every identity handed out is a valid 12-digit personnummer (born 1931 or later,
/// serial 100–998, Luhn check digit), none of `taken`, none handed out twice; every record's
/// street (`Kaosgatan <serial>`) is unique to its import.
final class ChaosImports: @unchecked Sendable {
    // @unchecked: used by one thread at a time (a round's operator connection, then the main
    // thread after the round's threads are joined, which orders the handover).
    let directory: String
    let taken: Set<String>
    private var serial = 0
    private var importSerial = 0

    init(directory: String, taken: Set<String>) {
        self.directory = directory
        self.taken = taken
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes a file of `count` new persons for region 01; answers its absolute path and what
    /// the server should hold once the import is acknowledged.
    func makeFile(count: Int) -> (path: String, expected: ChaosImport) {
        importSerial += 1
        let street = "Kaosgatan \(importSerial)"
        var lines = ""
        var expected = ChaosImport(records: [])
        for _ in 0..<count {
            let id = nextIdentity()
            lines +=
                "{\"id\":{\"kind\":\"personnummer\",\"value\":\"\(id)\"},\"name\":{\"given\":\"Kaos\",\"surname\":\"Testsson\"},"
                + "\"address\":{\"careOf\":null,\"street\":\"\(street)\",\"postalCode\":\"11122\",\"city\":\"STOCKHOLM\"},"
                + "\"county\":\"01\",\"municipality\":\"0180\",\"test\":true}\n"
            expected.records.append((id, street))
        }
        let path = directory + "/import-\(importSerial).ndjson"
        try? lines.write(toFile: path, atomically: false, encoding: .utf8)
        return (path, expected)
    }

    /// Removes the files written so far (the server has read or been killed reading them).
    func removeFiles() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    private func nextIdentity() -> String {
        let first = CivilDate(year: 1931, month: 1, day: 1)!.daysSinceEpoch
        while true {
            let date = CivilDate(daysSinceEpoch: first + serial / 899)
            let number = 100 + serial % 899
            serial += 1
            let digits = String(format: "%02d%02d%02d%03d", date.year % 100, date.month, date.day, number)
            let id = String(format: "%04d", date.year) + digits.dropFirst(2) + String(Luhn.checkDigit(for: digits)!)
            if !taken.contains(id) { return id }
        }
    }
}
