import Foundation

/// Runs blocking work (long file reads and writes) on a thread of its own, so the concurrency
/// pool (two threads here) is never blocked by it.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
