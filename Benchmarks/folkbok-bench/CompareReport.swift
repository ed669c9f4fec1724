import Foundation

/// The comparison's figures as rows of a Markdown table: each cell is the median of the runs
/// with min–max, and the ratio is folkbok's median over Redis's.
struct CompareReport {
    struct Row {
        let measure: String
        let folkbok: String
        let redis: String
        let ratio: String
    }

    private(set) var rows: [Row] = []
    private(set) var ceilings: [(load: String, json: String, resp: String, generator: String, server: String)] = []

    /// A row of two measured series.
    mutating func add(_ measure: String, folkbok: [Double], redis: [Double], format: (Double) -> String) {
        let f = Summary(values: folkbok), r = Summary(values: redis)
        let ratio = folkbok.isEmpty || redis.isEmpty || r.median == 0 ? "–" : ratioText(f.median / r.median)
        rows.append(
            Row(
                measure: measure, folkbok: folkbok.isEmpty ? "–" : f.cell(format),
                redis: redis.isEmpty ? "–" : r.cell(format), ratio: ratio))
        print("  \(measure): folkbok \(rows.last!.folkbok), Redis \(rows.last!.redis), folkbok/Redis \(ratio)")
    }

    /// A latency row: medians of p50 and p99 over the runs; the ratio is of the p50s.
    mutating func addLatency(
        _ measure: String, folkbok: (p50: [Double], p99: [Double]), redis: (p50: [Double], p99: [Double])
    ) {
        func cell(_ s: (p50: [Double], p99: [Double])) -> String {
            s.p50.isEmpty ? "–" : "\(micros(Summary(values: s.p50).median)) / \(micros(Summary(values: s.p99).median))"
        }
        let ratio =
            folkbok.p50.isEmpty || redis.p50.isEmpty
            ? "–"
            : ratioText(Summary(values: folkbok.p50).median / max(1e-9, Summary(values: redis.p50).median))
        rows.append(Row(measure: measure, folkbok: cell(folkbok), redis: cell(redis), ratio: ratio))
        print("  \(measure): folkbok \(rows.last!.folkbok), Redis \(rows.last!.redis)")
    }

    /// The generator's ceiling at one load, with the CPU it and the servers used while driving them.
    mutating func addCeiling(_ load: String, json: [Double], resp: [Double], folkbok: Series, redis: Series) {
        func cores(_ a: [Double], _ b: [Double]) -> String {
            String(format: "%.0f %% / %.0f %%", Summary(values: a).median * 100, Summary(values: b).median * 100)
        }
        ceilings.append(
            (
                load, Summary(values: json).cell(thousands), Summary(values: resp).cell(thousands),
                cores(folkbok.generatorCPU, redis.generatorCPU), cores(folkbok.serverCPU, redis.serverCPU)
            ))
        let c = ceilings.last!
        print(
            "  generator ceiling, \(load): JSON lines \(c.json)/s, RESP \(c.resp)/s; "
                + "CPU (folkbok / Redis runs): generator \(c.generator), server \(c.server)")
    }

    func markdown(header: String) -> String {
        var text = header + "\n\n| measure | folkbok | Redis | folkbok ÷ Redis |\n|---|---|---|---|\n"
        for row in rows { text += "| \(row.measure) | \(row.folkbok) | \(row.redis) | \(row.ratio) |\n" }
        text +=
            "\n| load | generator ceiling, JSON-RPC/s | generator ceiling, RESP/s | generator CPU (folkbok / Redis run) | server CPU (folkbok / Redis) |\n"
        text += "|---|---|---|---|---|\n"
        for c in ceilings { text += "| \(c.load) | \(c.json) | \(c.resp) | \(c.generator) | \(c.server) |\n" }
        return text
    }
}

func ratioText(_ v: Double) -> String { String(format: v >= 100 ? "%.0f×" : v >= 10 ? "%.1f×" : "%.2f×", v) }
