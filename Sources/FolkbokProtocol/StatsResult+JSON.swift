import FolkbokJSON
import FolkbokStats

/// Rendering the answers of `stats.open` and `stats.get` (the JSON-RPC `result` value) and
/// single rows for export files.
///
/// Guarantees: keys appear in protocol order: `period`, each `by` dimension in the order
/// given, `lookups` (then `suppressed` for a suppressed public row); the output is valid JSON.
extension StatsResult {
    /// `stats.open`'s result: `{"rows":[...],"threshold":N}`, rows with 1 to threshold − 1
    /// lookups as `"lookups":null,"suppressed":true`; or `{"csv":"..."}` for `format: csv`.
    public func writeOpenAnswer(threshold: SuppressionThreshold, into w: inout JSONWriter) {
        if query.format == .csv {
            w.raw("{\"csv\":")
            w.string(csv(threshold: threshold))
            w.raw("}")
            return
        }
        w.raw("{\"rows\":[")
        writeRows(threshold: threshold, into: &w)
        w.raw("],\"threshold\":")
        w.uint(threshold.value)
        w.raw("}")
    }

    /// `stats.get`'s result: `{"rows":[...]}`, plus `"sessions":[...]` when asked for. No
    /// suppression.
    public func writeGetAnswer(into w: inout JSONWriter) {
        w.raw("{\"rows\":[")
        writeRows(threshold: nil, into: &w)
        w.raw("]")
        if query.sessions {
            w.raw(",\"sessions\":[")
            for (i, row) in compactSessions.enumerated() {
                if i > 0 { w.raw(",") }
                w.raw("{\"period\":")
                w.string(query.granularity.label(row.period))
                w.raw(",\"user\":")
                w.stringOrNull(row.user)
                w.raw(",\"sessions\":")
                w.uint(row.totals.count)
                w.raw(",\"seconds\":")
                w.uint(StatsSessionRow.roundedSeconds(row.totals.micros))
                w.raw("}")
            }
            w.raw("]")
        }
        w.raw("}")
    }

    /// The bytes of `writeOpenAnswer`.
    public func openAnswer(threshold: SuppressionThreshold) -> [UInt8] {
        var w = JSONWriter(capacity: estimatedSize)
        writeOpenAnswer(threshold: threshold, into: &w)
        return w.bytes
    }

    /// The bytes of `writeGetAnswer`.
    public func getAnswer() -> [UInt8] {
        var w = JSONWriter(capacity: estimatedSize + compactSessions.count * 80)
        writeGetAnswer(into: &w)
        return w.bytes
    }

    /// Row `index` alone, unsuppressed (an aggregated export's row).
    public func writeRow(at index: Int, into w: inout JSONWriter) {
        let row = compactRows[index]
        w.raw("{\"period\":")
        w.string(query.granularity.label(row.period))
        w.raw(groupFragment(Int(row.rank)))
        w.raw(",\"lookups\":")
        w.uint(row.lookups)
        w.raw("}")
    }

    /// Roughly the JSON size of the rows, so the writer allocates once.
    private var estimatedSize: Int {
        let perGroup = query.by.reduce(0) { $0 + $1.rawValue.utf8.count + 12 }
        return 64 + compactRows.count * (60 + perGroup)
    }

    private func writeRows(threshold: SuppressionThreshold?, into w: inout JSONWriter) {
        // Each row is four appends: `{"period":"…"`, the group's `,"dim":value…,"lookups":`
        // (all groups' in one flat buffer), the count, and `}` (or the suppressed ending).
        var flat: [UInt8] = []
        var offsets = [0]
        for g in groups.indices {
            flat += groupFragment(g)
            flat += #","lookups":"#.utf8
            offsets.append(flat.count)
        }
        var opening: [UInt8] = []
        var openingPeriod = -1
        flat.withUnsafeBufferPointer { fragments in
            for (i, row) in compactRows.enumerated() {
                if openingPeriod != row.period {
                    var label = JSONWriter(capacity: 32)
                    label.raw("{\"period\":")
                    label.string(query.granularity.label(row.period))
                    opening = label.bytes
                    openingPeriod = row.period
                }
                if i > 0 { w.bytes.append(UInt8(ascii: ",")) }
                w.bytes.append(contentsOf: opening)
                let r = Int(row.rank)
                w.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: fragments[offsets[r]..<offsets[r + 1]]))
                if let threshold, threshold.suppresses(row.lookups) {
                    w.raw("null,\"suppressed\":true}")
                } else {
                    w.uint(row.lookups)
                    w.bytes.append(UInt8(ascii: "}"))
                }
            }
        }
    }

    /// `,"<dimension>":<value>` for each `by` dimension of group `rank`.
    private func groupFragment(_ rank: Int) -> [UInt8] {
        var w = JSONWriter(capacity: 16 * query.by.count)
        for (d, value) in zip(query.by, groups[rank]) {
            w.raw(",")
            w.string(d.rawValue)
            w.raw(":")
            w.stringOrNull(value)
        }
        return w.bytes
    }
}
