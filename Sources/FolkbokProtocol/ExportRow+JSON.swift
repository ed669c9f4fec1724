import FolkbokJSON
import FolkbokModel
import FolkbokStats

/// The JSON of detailed export rows (one object per line of the rows file, and `stats.fetch`).
///
/// Guarantees: keys in `ExportRow`'s documented order; valid JSON.

extension ExportRow {
    /// The row as a JSON object.
    public func write(into w: inout JSONWriter) {
        w.raw("{\"time\":")
        ExportTime.write(time, into: &w)
        w.raw(",\"method\":")
        w.string(method.rawValue)
        w.raw(",\"user\":")
        w.stringOrNull(user)
        w.raw(",\"purpose\":")
        w.string(purpose.rawValue)
        w.raw(",\"contract\":")
        w.string(contract.rawValue)
        w.raw(",\"profile\":")
        w.stringOrNull(profile?.rawValue)
        w.raw(",\"outcome\":")
        w.string(outcome.rawValue)
        w.raw(",\"ageBand\":")
        w.string(ageBand.rawValue)
        w.raw(",\"sex\":")
        w.string(sex.rawValue)
        w.raw(",\"person\":")
        switch person {
        case .identity(let id):
            RecordEncoder.identity(id, into: &w)
        case .pseudonym(let p):
            w.string(p)
        case .none:
            w.null()
        }
        w.raw("}")
    }
}

extension ExportTime {
    /// `format(micros)` as a JSON string, written digit by digit (no intermediate strings:
    /// an export writes one per row).
    static func write(_ micros: Int64, into w: inout JSONWriter) {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = Int(micros - seconds * 1_000_000)
        let date = CivilDate(unixSeconds: seconds)
        let second = Int(seconds - Int64(date.daysSinceEpoch) * 86400)
        func digits(_ v: Int, _ n: Int) {
            var divisor = 1
            for _ in 1..<n { divisor *= 10 }
            var v = v
            for _ in 0..<n {
                w.bytes.append(UInt8(48 + v / divisor % 10))
                v %= divisor
                divisor = max(1, divisor / 10)
            }
        }
        guard (0...9999).contains(date.year) else { return w.string(format(micros)) }
        w.bytes.append(UInt8(ascii: "\""))
        digits(date.year, 4)
        w.bytes.append(UInt8(ascii: "-"))
        digits(date.month, 2)
        w.bytes.append(UInt8(ascii: "-"))
        digits(date.day, 2)
        w.bytes.append(UInt8(ascii: "T"))
        digits(second / 3600, 2)
        w.bytes.append(UInt8(ascii: ":"))
        digits(second / 60 % 60, 2)
        w.bytes.append(UInt8(ascii: ":"))
        digits(second % 60, 2)
        w.bytes.append(UInt8(ascii: "."))
        digits(fraction, 6)
        w.bytes += [UInt8(ascii: "Z"), UInt8(ascii: "\"")]
    }
}

extension ExportRowSink {
    /// Adds one row that `body` writes as one JSON object.
    mutating func appendJSON(_ body: (inout JSONWriter) -> Void) throws {
        try append { bytes in
            var w = JSONWriter(capacity: 0)
            swap(&w.bytes, &bytes)
            body(&w)
            swap(&w.bytes, &bytes)
        }
    }
}
