import FolkbokModel

/// The profile-P4 details of a store's persons, each encoded into one byte arena and found by
/// the offset its row keeps (`PersonRow.detailAt`, in the row's padding): no dictionary entry,
/// no array or string object per person. A register loaded from Navet has details for nearly
/// everyone, so this is what they cost: about 60 bytes a person instead of some 640.
///
/// Guarantees: `details(at: append(d))` equals `d` for every non-empty `d`; an offset stays
/// valid until `release` or `compact` (which hands out new ones through the rows); `liveBytes`
/// counts what the rows still refer to, and `compact` drops the rest. Snapshot format version 4
/// stores the blobs as they are (Snapshots/FORMAT.md, "Detail tables"), so the encoding is
/// frozen: changing it means a new snapshot format version.
struct DetailArena: Sendable {
    /// Offsets are `UInt32`; a shard's arena stays below this.
    static let maxBytes = Int(UInt32.max) - (1 << 20)

    private(set) var bytes: [UInt8] = []
    /// Persons with details (blobs the rows refer to).
    private(set) var count = 0
    /// Bytes of blobs released since the last compaction.
    private(set) var garbageBytes = 0

    init() {}

    /// An arena holding `blobs` (length-prefixed blobs, checked by the caller), `count` of them.
    init(blobs: UnsafeRawBufferPointer, count: Int) {
        bytes = Array(blobs)
        self.count = count
    }

    var liveBytes: Int { bytes.count - garbageBytes }
    var footprintBytes: Int { bytes.capacity }

    /// Stores `d` and answers its offset. Encoded in place: a one-byte length first, widened in
    /// the rare case the blob is 128 bytes or more.
    mutating func append(_ d: PersonDetails) -> UInt32 {
        let at = bytes.count
        precondition(at < Self.maxBytes, "P4 details of one shard above 4 GiB")
        bytes.append(0)
        DetailBlob.encode(d, into: &bytes)
        let length = bytes.count - at - 1
        if length < 0x80 {
            bytes[at] = UInt8(length)
        } else {
            var prefix: [UInt8] = []
            DetailBlob.putLength(length, into: &prefix)
            bytes.replaceSubrange(at..<at + 1, with: prefix)
        }
        count += 1
        return UInt32(at)
    }

    /// Stores details already encoded (`DetailBlob`) and answers their offset.
    mutating func append(blob body: [UInt8]) -> UInt32 {
        let at = bytes.count
        precondition(at < Self.maxBytes, "P4 details of one shard above 4 GiB")
        DetailBlob.putLength(body.count, into: &bytes)
        bytes += body
        count += 1
        return UInt32(at)
    }

    /// The blob at `at` is no longer referred to.
    mutating func release(at: UInt32) {
        garbageBytes += withBlob(at: at) { $0.count } + DetailBlob.lengthSize(at: at, in: bytes)
        count -= 1
    }

    func details(at: UInt32) -> PersonDetails { withBlob(at: at) { DetailBlob.decode($0) } }

    /// Calls `body` with the encoded details at `at` (valid only inside `body`).
    func withBlob<T>(at: UInt32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        bytes.withUnsafeBytes { all in
            var offset = Int(at)
            let length = DetailBlob.readLength(all, &offset)
            return body(UnsafeRawBufferPointer(rebasing: all[offset..<offset + length]))
        }
    }

    /// Room for `n` more bytes of blobs (a load that knows an upper bound grows it once).
    mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(bytes.count + n) }

    /// Gives back spare capacity after a bulk load (`Array.releaseSpareCapacity`).
    mutating func releaseSpareCapacity() { bytes.releaseSpareCapacity() }

    /// After a bulk load (`Array.moveOutOfHeapArenas`).
    mutating func moveOutOfHeapArenas() { bytes.moveOutOfHeapArenas() }

    /// Whether released blobs hold more than the live ones (and at least a MiB).
    var needsCompaction: Bool { garbageBytes > max(1 << 20, liveBytes) }

    /// Copies every blob the rows refer to into a fresh arena, in row order, and points the
    /// rows at their new offsets.
    mutating func compact(rows: inout [PersonRow]) {
        var fresh: [UInt8] = []
        fresh.reserveCapacity(liveBytes)
        for i in rows.indices where rows[i].flags.contains(.hasDetails) {
            let at = rows[i].detailAt
            rows[i].detailAt = UInt32(fresh.count)
            withBlob(at: at) { blob in
                DetailBlob.putLength(blob.count, into: &fresh)
                fresh.append(contentsOf: blob)
            }
        }
        bytes = fresh
        garbageBytes = 0
    }
}
