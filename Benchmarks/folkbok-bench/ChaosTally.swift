import Foundation

/// The crash loop's counts: what was checked and what was found wrong. Counts only: no
/// identity or other person data is ever printed.
struct ChaosTally {
    var kills = 0
    var restartSeconds: [Double] = []
    var failedRestarts = 0

    /// Acknowledged writes checked at the restart that followed them.
    var contactWritesChecked = 0
    var nridsChecked = 0
    var importRecordsChecked = 0
    var exportsChecked = 0
    /// Older acknowledged NRIDs and imported records checked again (a sample each round).
    var olderRechecked = 0
    var snapshotsAcknowledged = 0
    var readsChecked = 0

    var contactLosses = 0
    var nridLosses = 0
    var importLosses = 0
    var exportLosses = 0
    /// Answered reads without their access-log entry.
    var readLosses = 0
    var duplicateNRIDs = 0
    var verifyRuns = 0
    var verifyFailures = 0
    var statsChecks = 0
    var statsMismatches = 0
    /// Mismatches that were gone when asked again 0.5 s later (counted apart, not as mismatches).
    var statsTransient = 0

    /// A contact version above the acknowledged chain plus the write in flight.
    var phantomVersions = 0
    /// Access-log entries of a connection's reads beyond its answered reads plus the one in flight.
    var extraEntries = 0
    /// `audit.query` by person disagreeing with the same entries found by customer.
    var indexMismatches = 0
    /// Checker requests that got no usable answer, by what was asked.
    var checkerFailures: [String: Int] = [:]
    /// Load answers that were errors the load does not expect, by "method code reason".
    var unexpected: [String: Int] = [:]

    var losses: Int { contactLosses + nridLosses + importLosses + exportLosses + readLosses }
    var acknowledgedWritesChecked: Int { contactWritesChecked + nridsChecked + importRecordsChecked + exportsChecked }
    /// Whether the campaign met every goal (the exit status).
    var clean: Bool {
        losses == 0 && duplicateNRIDs == 0 && failedRestarts == 0 && verifyFailures == 0 && statsMismatches == 0
            && checkerFailures.isEmpty
    }

    func progressLine(round: Int, of total: Int, elapsed: Double) -> String {
        "round \(round)/\(total) (\(Int(elapsed)) s): \(acknowledgedWritesChecked) acknowledged writes and \(readsChecked) reads checked, "
            + "\(losses) lost, \(duplicateNRIDs) duplicate NRIDs, \(failedRestarts) failed restarts, "
            + "restart p50 \(ms(percentile(0.5))) max \(ms(restartSeconds.max() ?? 0))"
    }

    func summary(elapsed: Double) -> String {
        var lines = [
            "chaos: \(kills) kills in \(Int(elapsed)) s",
            "acknowledged writes checked: \(acknowledgedWritesChecked) (contact.set \(contactWritesChecked), "
                + "reserve.assign \(nridsChecked), "
                + "imported records \(importRecordsChecked), stats.export \(exportsChecked)); older ones re-checked \(olderRechecked); "
                + "admin.snapshot acknowledged \(snapshotsAcknowledged)",
            "reads checked: \(readsChecked) answered person.get, each against its access-log entry",
            "losses: \(losses) (contact \(contactLosses), NRID \(nridLosses), import \(importLosses), export \(exportLosses), "
                + "read without entry \(readLosses))",
            "duplicate NRIDs: \(duplicateNRIDs)",
            "failed restarts: \(failedRestarts)",
            "audit.verify failures: \(verifyFailures) of \(verifyRuns)",
            "statistics mismatches: \(statsMismatches) of \(statsChecks) (transient, gone when asked again: \(statsTransient))",
            "other findings: \(phantomVersions) contact versions above the acknowledged chain, \(extraEntries) access-log entries beyond "
                + "answered + in-flight reads, \(indexMismatches) by-person/by-customer query disagreements",
            "restart to first answer: p50 \(ms(percentile(0.5))), p99 \(ms(percentile(0.99))), max \(ms(restartSeconds.max() ?? 0))",
        ]
        for (what, count) in checkerFailures.sorted(by: { $0.key < $1.key }) {
            lines.append("checker request failed: \(what) ×\(count)")
        }
        for (what, count) in unexpected.sorted(by: { $0.key < $1.key }) {
            lines.append("unexpected load answer: \(what) ×\(count)")
        }
        return lines.joined(separator: "\n")
    }

    private func percentile(_ p: Double) -> Double {
        let sorted = restartSeconds.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    private func ms(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }
}
