/// The parameters in which folkbok's binary formats differ: each format's name (for errors)
/// and how long and how large its varints may be. Frozen with the formats: loosening a limit
/// would accept bytes an older build refused.
///
/// Guarantees: `varintBytes` is between 1 and 10 and `varintMaximum` fits the bytes allowed.
package struct ByteFormat: Sendable {
    /// Named in `CodecError.format`.
    package let name: StaticString
    /// The most bytes one varint may take.
    package let varintBytes: Int
    /// The largest value a varint may hold.
    package let varintMaximum: UInt64

    /// Mutations (write-ahead log records) and snapshot sections: varints of at most 9 bytes,
    /// below 2⁶³.
    package static let mutation = ByteFormat(name: "mutation", varintBytes: 9, varintMaximum: UInt64(Int.max))
    /// Access-log entries: varints of at most 9 bytes, at most 2³¹ − 1 (string lengths).
    package static let auditEntry = ByteFormat(name: "audit entry", varintBytes: 9, varintMaximum: UInt64(Int32.max))
    /// Statistics counters, deltas, snapshots and export records: varints of at most 10 bytes
    /// that fit in 64 bits.
    package static let statistics = ByteFormat(name: "statistics", varintBytes: 10, varintMaximum: UInt64.max)
}
