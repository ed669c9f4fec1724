import FolkbokModel

/// A string pool's part of a store image (Snapshots/FORMAT.md, "String pool"): `u32` string
/// count S, `u64` arena length A, S + 2 `u32` starts, then the A arena bytes. The hash table
/// is not stored; loading rebuilds it.
extension StringPool {
    /// Bytes `writeImage` writes.
    var imageByteCount: Int { 12 + starts.count * 4 + arena.count }

    func writeImage(into w: inout ImageWriter) {
        w.u32(UInt32(count))
        w.u64(UInt64(arena.count))
        let out = w.reserve(starts.count * 4)
        for (i, start) in starts.enumerated() {
            out.storeBytes(of: start.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
        }
        arena.withUnsafeBytes { w.raw($0) }
    }

    /// Loads a pool written by `writeImage`, checking that the starts rise monotonically from
    /// 0 to the arena's end, that every string is valid UTF-8 and that no string occurs twice.
    init(image r: inout ImageReader, maxCount: Int, what: String) throws(StoreImageError) {
        self.init()
        let at = r.offset
        let count = Int(try r.u32("\(what) count"))
        guard count <= maxCount else { throw r.fail("\(what) count \(count) above the limit \(maxCount)", at: at) }
        let arenaLength = try r.u64("\(what) arena length")
        let startsAt = r.offset
        let startBytes = try r.take((count + 2) * 4, "\(what) starts")
        guard arenaLength <= UInt64(r.remaining) else {
            throw r.fail("\(what) arena runs past the end of the image", at: at)
        }
        let arenaBytes = try r.take(Int(arenaLength), "\(what) arena")
        var previous: UInt32 = 0
        var monotonic = true
        let starts = [UInt32](unsafeUninitializedCapacity: count + 2) { buffer, initialized in
            for i in 0..<count + 2 {
                let start = UInt32(littleEndian: startBytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                monotonic = monotonic && start >= previous
                previous = start
                buffer[i] = start
            }
            initialized = count + 2
        }
        guard monotonic, starts[1] == 0, UInt64(previous) == arenaLength else {
            throw r.fail("\(what) starts not rising from 0 to the arena's end", at: startsAt)
        }
        if !UTF8Check.isASCII(arenaBytes) {
            for id in 1..<count + 1 where !UTF8Check.isValid(arenaBytes.slice(Int(starts[id])..<Int(starts[id + 1]))) {
                throw r.fail("\(what) string \(id) is not valid UTF-8", at: startsAt)
            }
        }
        self.starts = starts
        arena = Array(arenaBytes)
        var size = table.count
        while count * 4 > size * 3 { size *= 2 }
        var table = [UInt32](repeating: 0, count: size)
        let mask = size - 1
        let duplicate = arena.withUnsafeBufferPointer { a -> Int in
            func text(_ id: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: a[Int(starts[id])..<Int(starts[id + 1])])
            }
            for id in 1..<count + 1 {
                let bytes = text(id)
                var slot = Int(truncatingIfNeeded: StringPool.hash(bytes)) & mask
                while table[slot] != 0 {
                    if text(Int(table[slot])).elementsEqual(bytes) { return id }
                    slot = (slot + 1) & mask
                }
                table[slot] = UInt32(id)
            }
            return 0
        }
        guard duplicate == 0 else { throw r.fail("\(what) holds string \(duplicate) twice", at: startsAt) }
        self.table = table
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: self[range]) }
}
