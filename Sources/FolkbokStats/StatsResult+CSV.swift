/// The CSV form of the lookup rows.
///
/// Guarantees: the header is `period,<by names in order>,lookups`; one line per row; every
/// line (the header too) ends in `\n`; a `null` value and a suppressed count are empty fields;
/// a field is quoted (RFC 4180) only if it holds a comma, quote or line break, which no value
/// of the public dimensions does.
extension StatsResult {
    /// The rows as CSV, counts of 1 to threshold − 1 left empty when `threshold` is given.
    public func csv(threshold: SuppressionThreshold?) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32 + compactRows.count * 32)
        out += "period".utf8
        for d in query.by {
            out.append(UInt8(ascii: ","))
            out += d.rawValue.utf8
        }
        out += ",lookups\n".utf8
        let fragments = groups.map { values in
            var f: [UInt8] = []
            for v in values {
                f.append(UInt8(ascii: ","))
                CSVField.append(v, to: &f)
            }
            return f
        }
        var labelOf: (period: Int, bytes: [UInt8])?
        for row in compactRows {
            if labelOf?.period != row.period { labelOf = (row.period, Array(query.granularity.label(row.period).utf8)) }
            out += labelOf!.bytes
            out += fragments[Int(row.rank)]
            out.append(UInt8(ascii: ","))
            if threshold?.suppresses(row.lookups) != true { out += String(row.lookups).utf8 }
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// RFC 4180 fields.
enum CSVField {
    /// Appends `value` (nothing for nil), quoted only when it holds `,`, `"`, CR or LF.
    static func append(_ value: String?, to out: inout [UInt8]) {
        guard let value else { return }
        let needsQuotes = value.utf8.contains {
            $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D
        }
        guard needsQuotes else { return out += value.utf8 }
        out.append(UInt8(ascii: "\""))
        for b in value.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
