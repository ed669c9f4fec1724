import Dispatch
import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import FolkbokSync
import Synchronization

/// How snapshots turn into shard stores and back: version 2 images are written from the
/// shards' stores and loaded straight into stores; version 1 records are re-inserted.
extension Persistence {
    /// Writes a format version 2 snapshot of `stores` (one image per shard; version 4 when a
    /// store holds P4 details or P5 history) covering `lsn`,
    /// with the reserve identities in the `reserves` section when there are any, and any
    /// `extraSections` (named data of other modules).
    public static func writeSnapshot(
        directory: String, lsn: UInt64, stores: [PersonStore], extraSections: [String: [UInt8]] = [:],
        fs: any FileSystem
    ) throws(FileError) -> SnapshotInfo {
        let shards = stores.map { store in
            SnapshotShardImage(records: store.count, bytes: store.imageByteCount) { store.writeImage(into: &$0) }
        }
        var sections = extraSections
        let reserves = stores.flatMap(\.reserveEntries).map { (key: $0.key, id: $0.entry.id, state: $0.entry.state) }
        if !reserves.isEmpty { sections[ReserveSection.name] = ReserveSection.encode(reserves) }
        return try SnapshotFile.writeImages(
            directory: directory, lsn: lsn, shards: shards, sections: sections,
            detailTables: stores.contains { $0.hasDetailTables }, fs: fs)
    }

    /// Loads the snapshot at `path` into `shardCount` stores.
    ///
    /// Version 2 images load in parallel (one per core at a time). If the file holds a
    /// different number of shards than asked for, or a key is not in the shard `Engine`
    /// routes it to, the records are re-inserted into fresh stores instead (slower, same
    /// result). Version 1 records are always re-inserted.
    /// - Complexity: O(file size); one `pread`.
    public static func loadSnapshot(path: String, fs: any FileSystem, shardCount: Int) throws(SnapshotError) -> (
        SnapshotInfo, [PersonStore]
    ) {
        let contents = try SnapshotContents.load(path: path, fs: fs)
        var stores = [PersonStore](repeating: PersonStore(), count: shardCount)
        guard contents.version != 1 else {
            let info = try contents.readRecords { key, record in
                stores[Engine.shardIndex(key, shardCount: shardCount)].upsert(record, key: key)
            }
            return (info, stores)
        }
        let images = try contents.images()
        var (loaded, fits) = try loadImages(images, shardCount: shardCount)
        try restoreReserves(images.info, into: &loaded)
        if fits { return (images.info, loaded) }
        for store in loaded {
            for (key, record) in store.entries {
                stores[Engine.shardIndex(key, shardCount: shardCount)].upsert(record, key: key)
            }
        }
        return (images.info, stores)
    }

    /// Puts the `reserves` section's entries back beside their rows (in whichever store holds
    /// the row); a section entry without a row makes the snapshot invalid.
    private static func restoreReserves(_ info: SnapshotInfo, into stores: inout [PersonStore]) throws(SnapshotError) {
        guard let bytes = info.sections[ReserveSection.name] else { return }
        let entries: [(key: IdentityKey, id: Identity, state: ReserveState)]
        do { entries = try ReserveSection.decode(bytes) } catch {
            throw SnapshotError(path: info.path, offset: 0, problem: "reserves section invalid (\(error))")
        }
        for entry in entries {
            let home = Engine.shardIndex(entry.key, shardCount: stores.count)
            let order = [home] + stores.indices.filter { $0 != home }
            guard
                order.contains(where: {
                    stores[$0].restoreReserve(ReserveEntry(id: entry.id, state: entry.state), key: entry.key)
                })
            else {
                throw SnapshotError(
                    path: info.path, offset: 0, problem: "reserves section names a record the snapshot does not hold")
            }
        }
    }

    /// Checks a snapshot completely: every checksum, and for version 2 every image loaded into
    /// a store with full validation (what start-up would do), for `folkbok snapshot verify`.
    public static func verifySnapshot(path: String, fs: any FileSystem) -> Result<SnapshotInfo, SnapshotError> {
        Result { () throws(SnapshotError) -> SnapshotInfo in
            let contents = try SnapshotContents.load(path: path, fs: fs)
            if contents.version == 1 { return try contents.readRecords { _, _ in } }
            let images = try contents.images()
            var (stores, _) = try loadImages(images, shardCount: images.shardCount)
            try restoreReserves(images.info, into: &stores)
            return images.info
        }
    }

    /// Every shard image as a store, built concurrently; each store's count must match its
    /// header. `fits`: the file has `shardCount` images and every key is in the shard `Engine`
    /// routes it to (checked beside the loading).
    private static func loadImages(
        _ images: SnapshotImages, shardCount: Int
    ) throws(SnapshotError) -> (stores: [PersonStore], fits: Bool) {
        let results = Locked([Result<PersonStore, SnapshotError>?](repeating: nil, count: images.shardCount))
        let misplaced = Atomic(false)
        DispatchQueue.concurrentPerform(iterations: images.shardCount) { shard in
            let result = Result { () throws(SnapshotError) -> PersonStore in
                let layout = StoreImageDetails(snapshotVersion: images.info.version)
                let store = try images.withShard(shard) { try PersonStore(image: $0, details: layout) }
                guard store.count == images.records(inShard: shard) else {
                    throw SnapshotError(
                        path: images.info.path, offset: 0,
                        problem:
                            "shard \(shard) holds \(store.count) records, its header says \(images.records(inShard: shard))"
                    )
                }
                return store
            }
            if images.shardCount == shardCount, case .success(let store) = result,
                !store.allKeys(satisfy: { Engine.shardIndex($0, shardCount: shardCount) == shard })
            {
                misplaced.store(true, ordering: .relaxed)
            }
            results.withLock { $0[shard] = result }
        }
        let stores = try results.withLock { $0 }.map { result throws(SnapshotError) in try result!.get() }
        return (stores, images.shardCount == shardCount && !misplaced.load(ordering: .relaxed))
    }
}
