import Dispatch
import FolkbokIndex
import FolkbokModel
import FolkbokStorage
import Synchronization

/// How snapshots turn into shard stores and back: version 2 images are written from the
/// shards' stores and loaded straight into stores; version 1 records are re-inserted.
extension Persistence {
    /// Writes a format version 2 snapshot of `stores` (one image per shard) covering `lsn`.
    public static func writeSnapshot(directory: String, lsn: UInt64, stores: [PersonStore], fs: any FileSystem) throws(FileError) -> SnapshotInfo {
        let shards = stores.map { store in
            SnapshotShardImage(records: store.count, bytes: store.imageByteCount) { store.writeImage(into: &$0) }
        }
        return try SnapshotFile.writeImages(directory: directory, lsn: lsn, shards: shards, fs: fs)
    }

    /// Loads the snapshot at `path` into `shardCount` stores.
    ///
    /// Version 2 images load in parallel (one per core at a time). If the file holds a
    /// different number of shards than asked for, or a key is not in the shard `Engine`
    /// routes it to, the records are re-inserted into fresh stores instead (slower, same
    /// result). Version 1 records are always re-inserted.
    /// - Complexity: O(file size); one `pread`.
    public static func loadSnapshot(path: String, fs: any FileSystem, shardCount: Int) throws(SnapshotError) -> (SnapshotInfo, [PersonStore]) {
        let contents = try SnapshotContents.load(path: path, fs: fs)
        var stores = [PersonStore](repeating: PersonStore(), count: shardCount)
        guard contents.version != 1 else {
            let info = try contents.readRecords { key, record in
                stores[Engine.shardIndex(key, shardCount: shardCount)].upsert(record, key: key)
            }
            return (info, stores)
        }
        let images = try contents.images()
        let loaded = try loadImages(images)
        let fits = loaded.count == shardCount && loaded.indices.allSatisfy { shard in
            loaded[shard].allKeys.allSatisfy { Engine.shardIndex($0, shardCount: shardCount) == shard }
        }
        if fits { return (images.info, loaded) }
        for store in loaded {
            for (key, record) in store.entries { stores[Engine.shardIndex(key, shardCount: shardCount)].upsert(record, key: key) }
        }
        return (images.info, stores)
    }

    /// Checks a snapshot completely: every checksum, and for version 2 every image loaded into
    /// a store with full validation (what start-up would do), for `folkbok snapshot verify`.
    public static func verifySnapshot(path: String, fs: any FileSystem) -> Result<SnapshotInfo, SnapshotError> {
        Result { () throws(SnapshotError) -> SnapshotInfo in
            let contents = try SnapshotContents.load(path: path, fs: fs)
            if contents.version == 1 { return try contents.readRecords { _, _ in } }
            let images = try contents.images()
            _ = try loadImages(images)
            return images.info
        }
    }

    /// Every shard image as a store, built concurrently; each store's count must match its header.
    private static func loadImages(_ images: SnapshotImages) throws(SnapshotError) -> [PersonStore] {
        let results = Mutex([Result<PersonStore, SnapshotError>?](repeating: nil, count: images.shardCount))
        DispatchQueue.concurrentPerform(iterations: images.shardCount) { shard in
            let result = Result { () throws(SnapshotError) -> PersonStore in
                let store = try images.withShard(shard) { try PersonStore(image: $0) }
                guard store.count == images.records(inShard: shard) else {
                    throw SnapshotError(path: images.info.path, offset: 0, problem: "shard \(shard) holds \(store.count) records, its header says \(images.records(inShard: shard))")
                }
                return store
            }
            results.withLock { $0[shard] = result }
        }
        return try results.withLock { $0 }.map { result throws(SnapshotError) in try result!.get() }
    }
}
