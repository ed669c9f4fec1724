/// CSV for detailed export rows (the command line's export download).
///
/// Guarantees: a header line, then one line per row, every line ending in `\n`; columns
/// `time,method,user,purpose,contract,profile,outcome,ageBand,sex,person`, and for
/// `identified` two more, `personKind,personIssuer`, since an identity is a kind, a value and
/// (for reserve identities) an issuer; `null` is an empty field; fields are quoted (RFC 4180)
/// only when they hold a comma, quote or line break (a staff id may).
public struct ExportCSV: Sendable {
    public let kind: StatsExportKind

    /// - Precondition: `kind` is `pseudonymised` or `identified` (an aggregated export's CSV is
    ///   `StatsResult.csv(threshold: nil)`).
    public init(kind: StatsExportKind) {
        precondition(kind != .aggregated, "aggregated exports are written by StatsResult.csv")
        self.kind = kind
    }

    public var header: String {
        let base = "time,method,user,purpose,contract,profile,outcome,ageBand,sex,person"
        return kind == .identified ? base + ",personKind,personIssuer\n" : base + "\n"
    }

    /// One row's line, `\n` included.
    public func line(_ row: ExportRow) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        let fields: [String?] = [
            ExportTime.format(row.time), row.method.rawValue, row.user, row.purpose.rawValue, row.contract.rawValue,
            row.profile?.rawValue, row.outcome.rawValue, row.ageBand.rawValue, row.sex.rawValue,
        ]
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            CSVField.append(f, to: &out)
        }
        out.append(UInt8(ascii: ","))
        switch row.person {
        case .pseudonym(let p):
            CSVField.append(p, to: &out)
            if kind == .identified { out += ",,".utf8 }
        case .identity(let id):
            CSVField.append(id.value, to: &out)
            if kind == .identified {
                out.append(UInt8(ascii: ","))
                CSVField.append(id.kind.rawValue, to: &out)
                out.append(UInt8(ascii: ","))
                CSVField.append(id.issuer, to: &out)
            }
        case .none:
            if kind == .identified { out += ",,".utf8 }
        }
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The header and every row's line.
    public func document(_ rows: some Sequence<ExportRow>) -> String {
        var out = header
        for row in rows { out += line(row) }
        return out
    }
}
