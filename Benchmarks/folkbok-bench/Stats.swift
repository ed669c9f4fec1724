/// Median with min–max of repeated measurements, printed as one cell.
struct Summary {
    let values: [Double]

    var median: Double {
        let s = values.sorted()
        return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    func cell(_ format: (Double) -> String) -> String {
        "\(format(median)) (\(format(values.min() ?? 0))–\(format(values.max() ?? 0)))"
    }
}

func thousands(_ v: Double) -> String {
    v >= 1e6
        ? String(format: "%.2f M", v / 1e6) : v >= 1e3 ? String(format: "%.1f k", v / 1e3) : String(format: "%.0f", v)
}

func micros(_ v: Double) -> String { String(format: "%.0f µs", v) }
