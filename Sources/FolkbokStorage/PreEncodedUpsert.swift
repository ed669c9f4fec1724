import FolkbokModel

/// An upsert's log payload encoded before its log sequence number is known (on an import's
/// decoding threads, off the single committing task), and numbered later in place.
///
/// Guarantees: after `setVersion(v)`, `bytes` is exactly `RecordCodec.encode(.upsert(key, r'))`
/// where `r'` is the record encoded with its `version` set to `v` (the version is a fixed
/// eight-byte field; `RecordCodecTests` checks the two agree).
public struct PreEncodedUpsert: Sendable {
    public private(set) var bytes: [UInt8]
    private let versionAt: Int

    /// The encoding of `.upsert(key, record)`, its version to be set later.
    public init(_ key: IdentityKey, _ record: PersonRecord) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(384)
        versionAt = RecordCodec.encodeUpsert(key, record, into: &bytes)
        self.bytes = bytes
    }

    /// Writes `version` into the encoding (in place when `bytes` is not shared).
    public mutating func setVersion(_ version: UInt64) {
        let at = versionAt
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: version.littleEndian, toByteOffset: at, as: UInt64.self) }
    }
}
