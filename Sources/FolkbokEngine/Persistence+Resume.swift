import Foundation

/// The background half of "the server takes writes again by itself" (docs/PROTOCOL.md, "Files,
/// disks and permissions").
extension Persistence {
    /// While the engine is read-only after a log failure, tries `Engine.resumeWrites` (called
    /// each second by the snapshot schedule). Tells `report` once when writes stop and once
    /// when they resume. Answers whether the engine is writable.
    func keepWritable(report: @Sendable (String) -> Void) async -> Bool {
        guard let reason = engine.readOnlyReason else { return true }
        let since = outage.withLock { outage -> Double? in
            if outage == nil {
                outage = Date().timeIntervalSince1970
                return nil
            }
            return outage
        }
        if since == nil { report("writes are refused: \(reason)") }
        guard await engine.resumeWrites() else { return false }
        let started = outage.withLock { outage -> Double in
            defer { outage = nil }
            return outage ?? Date().timeIntervalSince1970
        }
        report(
            "the write-ahead log can be written again; writes resumed after \(Int(Date().timeIntervalSince1970 - started)) s read-only"
        )
        return true
    }
}
