import FolkbokSync

/// Writes the Prometheus text exposition format, version 0.0.4: per family a `# HELP` and a
/// `# TYPE` line, then its samples; label values and help text escaped as the format says.
///
/// Guarantees: every family is announced once, before its samples; histogram buckets are
/// cumulative, end with `le="+Inf"` equal to `_count`, and are followed by `_sum` and `_count`;
/// names are the caller's (they must match `[a-zA-Z_:][a-zA-Z0-9_:]*`, which
/// `family` checks with a precondition); the text ends with a newline.
public struct PrometheusText {
    public private(set) var text = ""
    private var families: Set<String> = []

    public init() {}

    public enum Kind: String { case counter, gauge, histogram }

    /// Announces a family (once per name).
    public mutating func family(_ name: String, _ kind: Kind, _ help: String) {
        precondition(Self.isMetricName(name), "not a metric name: \(name)")
        precondition(families.insert(name).inserted, "family \(name) announced twice")
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
    }

    /// One sample of a counter or gauge family announced just before.
    public mutating func sample(_ name: String, labels: KeyValuePairs<String, String> = [:], _ value: Double) {
        text += name + Self.labelText(Array(labels)) + " " + Self.number(value) + "\n"
    }

    public mutating func sample(_ name: String, labels: KeyValuePairs<String, String> = [:], _ value: UInt64) {
        text += name + Self.labelText(Array(labels)) + " \(value)\n"
    }

    /// The samples of one histogram of a family announced just before: cumulative buckets,
    /// then `_sum` and `_count`.
    public mutating func histogram(_ name: String, _ labels: [(String, String)] = [], _ h: HistogramSnapshot) {
        var cumulative: UInt64 = 0
        for (i, count) in h.counts.enumerated() {
            cumulative &+= count
            let le = i < h.bounds.count ? Self.number(h.bounds[i]) : "+Inf"
            text += name + "_bucket" + Self.labelText(labels + [("le", le)]) + " \(cumulative)\n"
        }
        text += name + "_sum" + Self.labelText(labels) + " " + Self.number(h.sum) + "\n"
        text += name + "_count" + Self.labelText(labels) + " \(cumulative)\n"
    }

    static func labelText(_ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return "" }
        return "{" + labels.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A label value: backslash, double quote and line feed escaped.
    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Help text: backslash and line feed escaped.
    static func escapeHelp(_ value: String) -> String {
        var out = ""
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A sample value as Go's `ParseFloat` reads it: integers without a fraction, `+Inf`,
    /// `-Inf`, `NaN`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func isMetricName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return name.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F
                || $0 == 0x3A
        }
    }
}
