import Foundation

/// A strict reader of the Prometheus text exposition format, version 0.0.4, for the metrics
/// tests. It refuses (throws) what a lenient scraper might let pass:
/// - a line that is neither a comment nor a sample, a blank line, text not ending in a newline;
/// - per family exactly one `# HELP` then one `# TYPE` (counter, gauge, histogram, summary or
///   untyped), both before the family's first sample; a family announced twice, or a sample
///   after another family began (no family repeated, no interleaving);
/// - a metric or label name that does not match the format's patterns, a repeated label, a
///   label value with an escape other than `\\`, `\"`, `\n`, a value that is not a float;
/// - a sample whose name is not its family's (`name`, or for a histogram `name_bucket`,
///   `name_sum`, `name_count`); a series given twice;
/// - a histogram series whose buckets do not ascend in `le`, are not cumulative, do not end
///   with `le="+Inf"`, or whose +Inf bucket differs from its `_count`, or has no `_sum`.
struct PrometheusTextReader {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Sample: Equatable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    struct Family {
        let name: String
        var help: String?
        var type: String?
        var samples: [Sample] = []
    }

    private(set) var families: [String: Family] = [:]
    private(set) var order: [String] = []

    init(_ text: String) throws {
        guard text.hasSuffix("\n") else { throw Failure(description: "the text does not end with a newline") }
        var current: String?
        for (number, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let at = "line \(number + 1): \(line)"
            guard !line.isEmpty else { throw Failure(description: "\(at): blank line") }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard words.count >= 3, words[0] == "#", words[1] == "HELP" || words[1] == "TYPE" else { continue }
                let name = String(words[2])
                guard Self.isMetricName(name) else { throw Failure(description: "\(at): bad metric name") }
                if current != name {
                    guard families[name] == nil else { throw Failure(description: "\(at): family \(name) repeated") }
                    families[name] = Family(name: name)
                    order.append(name)
                    current = name
                }
                guard families[name]!.samples.isEmpty else {
                    throw Failure(description: "\(at): \(words[1]) after samples")
                }
                let rest = words.count > 3 ? String(words[3]) : ""
                if words[1] == "HELP" {
                    guard families[name]!.help == nil, families[name]!.type == nil else {
                        throw Failure(description: "\(at): HELP repeated or after TYPE")
                    }
                    try Self.checkHelpEscapes(rest, at)
                    families[name]!.help = rest
                } else {
                    guard families[name]!.help != nil else { throw Failure(description: "\(at): TYPE before HELP") }
                    guard families[name]!.type == nil else { throw Failure(description: "\(at): TYPE repeated") }
                    guard ["counter", "gauge", "histogram", "summary", "untyped"].contains(rest) else {
                        throw Failure(description: "\(at): unknown type")
                    }
                    families[name]!.type = rest
                }
                continue
            }
            let sample = try Self.parseSample(line, at)
            guard let family = current, let type = families[family]?.type else {
                throw Failure(description: "\(at): sample before any HELP and TYPE")
            }
            let allowed =
                type == "histogram"
                ? [family + "_bucket", family + "_sum", family + "_count"]
                : type == "summary" ? [family, family + "_sum", family + "_count"] : [family]
            guard allowed.contains(sample.name) else {
                throw Failure(description: "\(at): sample of another family than \(family)")
            }
            guard !families[family]!.samples.contains(where: { $0.name == sample.name && $0.labels == sample.labels })
            else {
                throw Failure(description: "\(at): series repeated")
            }
            families[family]!.samples.append(sample)
        }
        for family in families.values where family.type == "histogram" { try Self.checkHistogram(family) }
    }

    /// The value of the sample `name` with exactly `labels` (0 when absent: a counter not yet counted).
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        for family in families.values {
            if let sample = family.samples.first(where: { $0.name == name && $0.labels == labels }) {
                return sample.value
            }
        }
        return 0
    }

    func has(family name: String, type: String) -> Bool { families[name]?.type == type }

    static func isMetricName(_ name: String) -> Bool {
        name.range(of: "^[a-zA-Z_:][a-zA-Z0-9_:]*$", options: .regularExpression) != nil
    }

    static func isLabelName(_ name: String) -> Bool {
        name.range(of: "^[a-zA-Z_][a-zA-Z0-9_]*$", options: .regularExpression) != nil && !name.hasPrefix("__")
    }

    static func checkHelpEscapes(_ text: String, _ at: String) throws {
        var chars = text.makeIterator()
        while let c = chars.next() {
            guard c == "\\" else { continue }
            guard let next = chars.next(), next == "\\" || next == "n" else {
                throw Failure(description: "\(at): bad escape in HELP")
            }
        }
    }

    static func parseValue(_ text: Substring, _ at: String) throws -> Double {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard let v = Double(text), text.allSatisfy({ "0123456789+-.eE".contains($0) }) else {
                throw Failure(description: "\(at): value \(text) is not a float")
            }
            return v
        }
    }

    static func parseSample(_ line: Substring, _ at: String) throws -> Sample {
        let chars = Array(line)
        var i = 0
        while i < chars.count, chars[i] != "{", chars[i] != " " { i += 1 }
        let name = String(chars[0..<i])
        guard isMetricName(name) else { throw Failure(description: "\(at): bad metric name") }
        var labels: [String: String] = [:]
        if i < chars.count, chars[i] == "{" {
            i += 1
            while i < chars.count, chars[i] != "}" {
                let start = i
                while i < chars.count, chars[i] != "=" { i += 1 }
                let label = String(chars[start..<i])
                guard isLabelName(label) else { throw Failure(description: "\(at): bad label name \(label)") }
                guard i + 1 < chars.count, chars[i + 1] == "\"" else {
                    throw Failure(description: "\(at): label value not quoted")
                }
                i += 2
                var value = ""
                while i < chars.count, chars[i] != "\"" {
                    if chars[i] == "\\" {
                        guard i + 1 < chars.count else { throw Failure(description: "\(at): escape at the end") }
                        switch chars[i + 1] {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Failure(description: "\(at): bad escape in a label value")
                        }
                        i += 2
                    } else {
                        value.append(chars[i])
                        i += 1
                    }
                }
                guard i < chars.count else { throw Failure(description: "\(at): unterminated label value") }
                i += 1
                guard labels.updateValue(value, forKey: label) == nil else {
                    throw Failure(description: "\(at): label \(label) repeated")
                }
                if i < chars.count, chars[i] == "," {
                    i += 1
                } else {
                    guard i < chars.count, chars[i] == "}" else {
                        throw Failure(description: "\(at): expected , or }")
                    }
                }
            }
            guard i < chars.count else { throw Failure(description: "\(at): unterminated labels") }
            i += 1
        }
        guard i < chars.count, chars[i] == " " else { throw Failure(description: "\(at): no space before the value") }
        let fields = String(chars[(i + 1)...]).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 || fields.count == 2 else {
            throw Failure(description: "\(at): expected value [timestamp]")
        }
        if fields.count == 2 {
            guard Int64(fields[1]) != nil else { throw Failure(description: "\(at): bad timestamp") }
        }
        return Sample(name: name, labels: labels, value: try parseValue(fields[0], at))
    }

    static func checkHistogram(_ family: Family) throws {
        var series: [[String: String]: [(le: Double, count: Double)]] = [:]
        for sample in family.samples where sample.name == family.name + "_bucket" {
            guard let le = sample.labels["le"] else {
                throw Failure(description: "\(family.name): a bucket without le")
            }
            var rest = sample.labels
            rest["le"] = nil
            series[rest, default: []].append((try parseValue(le[...], family.name), sample.value))
        }
        for sample in family.samples where sample.name == family.name + "_count" {
            guard let buckets = series[sample.labels], let last = buckets.last else {
                throw Failure(description: "\(family.name)\(sample.labels): _count without buckets")
            }
            guard last.le == .infinity else {
                throw Failure(description: "\(family.name)\(sample.labels): last bucket is not +Inf")
            }
            guard last.count == sample.value else {
                throw Failure(description: "\(family.name)\(sample.labels): +Inf bucket differs from _count")
            }
            for (a, b) in zip(buckets, buckets.dropFirst()) {
                guard a.le < b.le else {
                    throw Failure(description: "\(family.name)\(sample.labels): le does not ascend")
                }
                guard a.count <= b.count else {
                    throw Failure(description: "\(family.name)\(sample.labels): buckets not cumulative")
                }
            }
            guard family.samples.contains(where: { $0.name == family.name + "_sum" && $0.labels == sample.labels })
            else {
                throw Failure(description: "\(family.name)\(sample.labels): no _sum")
            }
        }
        for labels in series.keys
        where !family.samples.contains(where: { $0.name == family.name + "_count" && $0.labels == labels }) {
            throw Failure(description: "\(family.name)\(labels): buckets without _count")
        }
    }
}
