import Glibc

/// A mutual-exclusion lock over `pthread_mutex_t`, the one lock type of the project's own.
///
/// Guarantees: `withLock` runs its body with no other `withLock` of the same lock running on
/// any thread, and publishes the body's writes to the next holder (the mutex's acquire and
/// release). Not re-entrant: taking it again on the same thread deadlocks. Never blocks the
/// caller longer than other holders' bodies take, so keep bodies short and free of I/O.
/// Thread sanitizer understands it (it does not see `Synchronization.Mutex` on this toolchain).
public final class Lock: @unchecked Sendable {
    // @unchecked: the mutex is the synchronisation; the pointer never changes after init.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let rc = pthread_mutex_init(mutex, nil)
        precondition(rc == 0, "pthread_mutex_init failed: \(rc)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    @inline(__always)
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Runs `body` under the lock if it is free now; nil (without running it) if it is held.
    public func withLockIfAvailable<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A value guarded by a `Lock`: the only way to it is `withLock`.
///
/// Guarantees: as `Lock`; the value is never reached without holding the lock.
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    // @unchecked: `value` is touched only while `lock` is held.
    private let lock = Lock()
    private var value: Value

    public init(_ value: consuming Value) { self.value = value }

    @inline(__always)
    public func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        try lock.withLock { () throws(E) -> T in try body(&value) }
    }

    /// `withLock` if the lock is free now; nil (without running `body`) if it is held.
    public func withLockIfAvailable<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T? {
        try lock.withLockIfAvailable { () throws(E) -> T in try body(&value) }
    }
}
