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
    public init(_ key: IdentityKey, _ record: borrowing PersonRecord) {
        var scratch: [UInt8] = []
        scratch.reserveCapacity(384)
        versionAt = RecordCodec.encodeUpsert(key, record, into: &scratch)
        // Kept at its exact size: a batch's payloads wait in memory until they are logged.
        bytes = scratch.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count) { target, count in
                if let from = source.baseAddress { target.baseAddress!.initialize(from: from, count: source.count) }
                count = source.count
            }
        }
    }

    /// Writes `version` into the encoding (in place when `bytes` is not shared).
    public mutating func setVersion(_ version: UInt64) {
        let at = versionAt
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: version.littleEndian, toByteOffset: at, as: UInt64.self) }
    }
}
