import FolkbokIndex
import FolkbokModel
import FolkbokSync

/// The read view of one shard: its `PersonStore`, readable from any thread (the event loops)
/// while the shard actor writes it.
///
/// Invariant: the store is mutated only by the shard actor and only inside `lock`'s write side;
/// every read from another thread happens inside its read side (readers run side by side and
/// never wait for each other, only for a write section); the actor, the only writer, may read
/// without it.
/// So a reader sees the store between two write sections, never inside one: a record is never
/// torn or mixed, and every mutation batch of up to `ShardView.writeChunk` records per shard is
/// seen whole. The lock is never held across a copy or a resize of the store's large buffers:
/// the actor prepares a private copy first (`PersonStore.prepare`) and swaps it in under the
/// lock in O(1); the old buffers are released after the lock is let go.
public final class ShardView: @unchecked Sendable {
    // @unchecked: `store` is guarded by `lock` as the invariant above says.
    /// Mutations applied in one hold of the lock at most (readers wait at most that long).
    public static let writeChunk = 1024

    private let lock = ReadWriteLock()
    /// The store, behind a pointer so a read borrows it in place: a class's stored property
    /// would be copied for each read (a retain and release of every buffer of the store).
    private let storage: UnsafeMutablePointer<PersonStore>
    private var store: PersonStore {
        unsafeAddress { UnsafePointer(storage) }
        unsafeMutableAddress { storage }
    }
    /// True once a copy of the store was handed out (a snapshot's): the buffers are shared, and
    /// the next write would copy them.
    private var shared = false

    init() {
        storage = .allocate(capacity: 1)
        storage.initialize(to: PersonStore())
    }

    deinit {
        storage.deinitialize(count: 1)
        storage.deallocate()
    }

    /// Runs `body` on the store as of now, on any thread. Keep it short: the shard's writer
    /// waits for it.
    @inline(__always)
    public func read<T>(_ body: (borrowing PersonStore) -> T) -> T {
        lock.withReadLock { body(storage.pointee) }
    }

    /// The record under `key` read in place (`PersonStore.withPacked`) under the read lock, the store
    /// borrowed where it lies (a closure over the store would copy it).
    @inline(__always)
    public func withPacked<T>(_ key: IdentityKey, _ body: (PackedPerson?) -> T) -> T {
        lock.withReadLock { PersonStore.withPacked(at: storage, key, body) }
    }

    /// The writer's own read, without the lock (only the shard actor may call it).
    func readAsWriter<T>(_ body: (borrowing PersonStore) -> T) -> T { body(store) }

    /// A copy-on-write copy of the store (only the shard actor may call it).
    func copyAsWriter() -> PersonStore {
        shared = true
        return store
    }

    /// Applies `change` to the store under the lock, after moving any needed copy or growth
    /// for `inserts` new records out of it (only the shard actor may call it).
    func write<T>(inserting inserts: Int, _ change: (inout PersonStore) -> T) -> T {
        if shared || store.wouldGrow(inserting: inserts) {
            var fresh = store
            fresh.prepare(inserting: inserts)
            // The old store is released here, after the lock: its buffers may be large.
            _ = swapIn(consume fresh)
            shared = false
        }
        return exclusively { change(&store) }
    }

    /// Replaces the whole store (only the shard actor may call it).
    func replaceAsWriter(with loaded: consuming PersonStore) {
        _ = swapIn(loaded)
        shared = false
    }

    /// Puts `fresh` in place of the store in O(1) under the lock; answers the old store.
    private func swapIn(_ fresh: consuming PersonStore) -> PersonStore {
        var other = fresh
        exclusively { swap(&store, &other) }
        return other
    }

    /// Runs `body` holding the lock alone. Background work (an import, under the idle
    /// scheduling policy) never queues for the lock: the lock prefers writers, so a queued
    /// writer holds up every new reader, and one that waits for an idle core would hold them
    /// up for as long (`ReadWriteLock.withWriteLockYielding`).
    private func exclusively<T>(_ body: () -> T) -> T {
        BackgroundPriority.isBackgroundTask ? lock.withWriteLockYielding(body) : lock.withWriteLock(body)
    }
}
