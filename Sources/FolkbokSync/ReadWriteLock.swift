import Glibc

/// A readers–writer lock over `pthread_rwlock_t` that prefers writers.
///
/// Guarantees: `withWriteLock` and `withWriteLockYielding` run their body with no other body of
/// the same lock running on any thread; `withReadLock` bodies run at the same time as each other
/// but never beside a write body, and see every write body that finished before them (acquire
/// and release). Readers never wait for readers, only for a writer; a writer waiting in
/// `withWriteLock` stops new readers from entering, so a stream of readers cannot starve it; one
/// in `withWriteLockYielding` never stops them (it gets in between readers). Not re-entrant (a reader taking it again while a writer
/// waits deadlocks). Keep bodies short and free of I/O. Thread sanitizer understands it.
public final class ReadWriteLock: @unchecked Sendable {
    // @unchecked: the rwlock is the synchronisation; the pointer never changes after init.
    private let rwlock: UnsafeMutablePointer<pthread_rwlock_t>

    public init() {
        rwlock = .allocate(capacity: 1)
        rwlock.initialize(to: pthread_rwlock_t())
        var attributes = pthread_rwlockattr_t()
        pthread_rwlockattr_init(&attributes)
        defer { pthread_rwlockattr_destroy(&attributes) }
        pthread_rwlockattr_setkind_np(&attributes, Int32(PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP))
        let rc = pthread_rwlock_init(rwlock, &attributes)
        precondition(rc == 0, "pthread_rwlock_init failed: \(rc)")
    }

    deinit {
        pthread_rwlock_destroy(rwlock)
        rwlock.deinitialize(count: 1)
        rwlock.deallocate()
    }

    @inline(__always)
    public func withReadLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_rdlock(rwlock)
        defer { pthread_rwlock_unlock(rwlock) }
        return try body()
    }

    @inline(__always)
    public func withWriteLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_wrlock(rwlock)
        defer { pthread_rwlock_unlock(rwlock) }
        return try body()
    }

    /// As `withWriteLock`, for a writer of low priority: it never waits in the lock's queue
    /// (where, the lock preferring writers, it would hold up every new reader until it got a
    /// core), but tries, and gives its core away between tries.
    public func withWriteLockYielding<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        while pthread_rwlock_trywrlock(rwlock) != 0 { sched_yield() }
        defer { pthread_rwlock_unlock(rwlock) }
        return try body()
    }
}
