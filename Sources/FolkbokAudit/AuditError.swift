/// A failure of the access log, with where it happened and what the operator should do.
///
/// Guarantees: names files, byte offsets and seq numbers only, never entry contents.
public struct AuditError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func retentionTooShort(_ days: Int) -> AuditError {
        AuditError(
            "audit retention of \(days) days is a configuration error: the law requires at least \(AuditLog.minimumRetentionDays) "
                + "days (5 years). Raise the retention setting.")
    }

    /// Entries wait to be written beyond the log's bound (its disk is slow or stalled): the
    /// entry was not queued, so nothing it covers may be disclosed.
    public static let overloaded = AuditError(
        "the access log is behind (its disk is slow or stalled): nothing more is disclosed until it catches up")

    public var isOverloaded: Bool { message == Self.overloaded.message }

    static func unreadableEntry(seq: UInt64, file: String, offset: Int) -> AuditError {
        AuditError(
            "audit entry seq \(seq) in \(file) at byte offset \(offset) cannot be read. "
                + "Run audit.verify to locate tampering or damage; restore the file from a backup.")
    }
}
