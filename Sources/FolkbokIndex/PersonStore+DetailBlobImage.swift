import FolkbokModel

/// The P4 details of a snapshot format version 4 image (Snapshots/FORMAT.md, "Detail
/// tables"): `u32` count D of rows flagged `hasDetails`, `u64` byte length B, then B bytes: one
/// blob per flagged row, in row order, each a LEB128 length and the details as the memory arena
/// keeps them (`DetailBlob`). Written by copying each row's blob, loaded by taking the bytes as
/// the shard's arena: no key lookup, no re-encoding; every blob is checked field by field
/// (`DetailBlob.problem(in:)`) before any row points at it.
extension PersonStore {
    /// D, B and the blobs.
    /// - Complexity: O(rows with P4 details).
    var detailBlobsByteCount: Int { 4 + 8 + liveBlobBytes }

    /// Bytes of the flagged rows' blobs with their length prefixes.
    private var liveBlobBytes: Int {
        var total = 0
        for row in rows where row.flags.contains(.hasDetails) {
            total += details.withBlob(at: row.detailAt) { DetailBlob.lengthSize($0.count) + $0.count }
        }
        return total
    }

    func writeDetailBlobs(into w: inout ImageWriter) {
        w.u32(UInt32(details.count))
        w.u64(UInt64(liveBlobBytes))
        var prefix: [UInt8] = []
        for row in rows where row.flags.contains(.hasDetails) {
            details.withBlob(at: row.detailAt) { blob in
                prefix.removeAll(keepingCapacity: true)
                DetailBlob.putLength(blob.count, into: &prefix)
                prefix.withUnsafeBytes { w.raw($0) }
                w.raw(blob)
            }
        }
    }

    /// Takes D and the B bytes of blobs (checked by `attachDetailBlobs` once the rows are loaded).
    mutating func readDetailBlobs(_ r: inout ImageReader) throws(StoreImageError) -> LoadedDetails {
        let count = Int(try r.u32("details count"))
        let lengthAt = r.offset
        let length = try r.u64("details length")
        guard length <= UInt64(r.remaining) else { throw r.fail("details length larger than the image", at: lengthAt) }
        guard length < UInt64(DetailArena.maxBytes) else {
            throw r.fail("details of one shard above 4 GiB", at: lengthAt)
        }
        let start = r.offset
        return .blobs(count: count, bytes: try r.take(Int(length), "details"), imageOffset: start)
    }

    /// Walks the flagged rows in order, checking each one's blob and pointing the row at it,
    /// then takes the bytes as the arena: every flagged row has a blob, every blob a row, and
    /// no byte is left over.
    mutating func attachDetailBlobs(
        count: Int, bytes: UnsafeRawBufferPointer, imageOffset: Int
    ) throws(StoreImageError) {
        var offset = 0
        var attached = 0
        var failure: (at: Int, problem: String)?
        rows.withUnsafeMutableBufferPointer { rows in
            for i in rows.indices where rows[i].flags.contains(.hasDetails) {
                guard offset < bytes.count else {
                    failure = (offset, "details flag set on a row without an entry")
                    return
                }
                let at = offset
                guard let length = DetailBlob.checkedLength(bytes, &offset), length <= bytes.count - offset else {
                    failure = (at, "details blob longer than the details")
                    return
                }
                let blob = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
                if let problem = DetailBlob.problem(in: blob) {
                    failure = (at, problem)
                    return
                }
                rows[i].detailAt = UInt32(at)
                offset += length
                attached += 1
            }
        }
        if let failure { throw StoreImageError(offset: imageOffset + failure.at, problem: failure.problem) }
        guard attached == count else {
            throw StoreImageError(offset: imageOffset - 12, problem: "details count differs from the flagged rows")
        }
        guard offset == bytes.count else {
            throw StoreImageError(offset: imageOffset + offset, problem: "details entry without a flagged row")
        }
        details = DetailArena(blobs: bytes, count: count)
    }
}
